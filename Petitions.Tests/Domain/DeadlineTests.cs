using Petitions.Domain;

namespace Petitions.Tests.Domain;

public sealed class DeadlineTests
{
    private static readonly DeadlinePolicy Policy = DeadlinePolicy.National;
    private static readonly HolidayCalendar Calendar = HolidayCalendar.National;

    // The worked examples of DOMAIN.md §3 (2026 table, start day excluded).
    [Theory]
    [InlineData(ClockKind.Handling, "2026-01-20", "2026-03-23")]          // nominal 03-21 is a Saturday
    [InlineData(ClockKind.Intake, "2026-09-20", "2026-10-08")]            // nominal 10-05 is in the National Day break
    [InlineData(ClockKind.Intake, "2026-02-01", "2026-02-24")]            // nominal 02-16 is in the Spring Festival break
    [InlineData(ClockKind.ReferralObjection, "2026-02-12", "2026-02-26")] // counts the make-up Saturday 02-14
    [InlineData(ClockKind.ReferralObjection, "2026-09-24", "2026-10-09")]
    public void Worked_examples_of_the_domain_reference(ClockKind kind, string start, string due)
    {
        var deadline = Policy.Compute(kind, DateOnly.Parse(start), Calendar);

        Assert.Equal(DateOnly.Parse(due), deadline.Due);
        Assert.False(deadline.Provisional);
    }

    [Fact]
    public void A_working_day_end_does_not_move()
    {
        // 2026-11-20 + 15 = 2026-12-05, a Saturday → Monday 12-07; 2026-11-19 + 15 = Friday 12-04 stays.
        Assert.Equal(new DateOnly(2026, 12, 7), Policy.Compute(ClockKind.Intake, new DateOnly(2026, 11, 20), Calendar).Due);
        Assert.Equal(new DateOnly(2026, 12, 4), Policy.Compute(ClockKind.Intake, new DateOnly(2026, 11, 19), Calendar).Due);
    }

    [Fact]
    public void Without_roll_forward_a_rest_day_end_stands()
    {
        var rule = Policy.Rule(ClockKind.Handling) with { RollForward = false };

        Assert.Equal(new DateOnly(2026, 3, 21), DeadlinePolicy.Compute(rule, new DateOnly(2026, 1, 20), rule.Days, Calendar).Due);
    }

    [Fact]
    public void A_deadline_that_depends_on_a_year_without_a_table_is_provisional()
    {
        var deadline = Policy.Compute(ClockKind.Intake, new DateOnly(2026, 12, 25), Calendar);

        Assert.Equal(new DateOnly(2027, 1, 11), deadline.Due); // 2027-01-09 is a Saturday; 2027 has no table yet
        Assert.True(deadline.Provisional);
    }

    [Theory]
    [InlineData("2026-02-14", false)] // make-up working Saturday
    [InlineData("2026-02-16", true)]  // Spring Festival, a Monday
    [InlineData("2026-11-21", true)]  // an ordinary Saturday
    [InlineData("2026-11-23", false)] // an ordinary Monday
    [InlineData("2025-10-11", false)] // make-up working Saturday of 2025
    public void Rest_days_follow_the_State_Council_table(string date, bool rest) =>
        Assert.Equal(rest, Calendar.IsRestDay(DateOnly.Parse(date)));

    [Fact]
    public void Deadlines_end_at_midnight_Shanghai_time()
    {
        Assert.Equal(DateTimeOffset.Parse("2026-12-07T16:00:00Z"), ShanghaiTime.EndOf(new DateOnly(2026, 12, 7)));
        Assert.Equal(new DateOnly(2026, 11, 21), ShanghaiTime.DateOf(DateTimeOffset.Parse("2026-11-20T16:30:00Z")));
    }
}
