namespace Petitions.Tests.Support;

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    // Like the system clock, always in UTC; tests may set it with any offset.
    public override DateTimeOffset GetUtcNow() => _now.ToUniversalTime();

    public void Advance(TimeSpan by) => _now += by;

    public void Set(DateTimeOffset now) => _now = now;

    /// <summary>A Shanghai wall-clock time, as the tests think of dates.</summary>
    public static DateTimeOffset Shanghai(int year, int month, int day, int hour = 10) =>
        new(year, month, day, hour, 0, 0, TimeSpan.FromHours(8));
}
