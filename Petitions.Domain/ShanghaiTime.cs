namespace Petitions.Domain;

/// <summary>
/// Deadlines are counted in Asia/Shanghai dates. China has kept UTC+8 without daylight saving since 1991, so a
/// fixed offset is exact for every date this system handles and does not depend on the host's time-zone data.
/// </summary>
public static class ShanghaiTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(Offset).DateTime);

    /// <summary>The instant a Shanghai day begins.</summary>
    public static DateTimeOffset StartOf(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), Offset);

    /// <summary>The instant a deadline day ends: 24:00 Shanghai time.</summary>
    public static DateTimeOffset EndOf(DateOnly date) => new(date.AddDays(1).ToDateTime(TimeOnly.MinValue), Offset);
}
