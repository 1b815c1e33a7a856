using Petitions.Domain;

namespace Petitions.Tests.Domain;

public sealed class PetitionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8));

    private static PetitionIntake Intake(int representatives = 0, int people = 1, DateTimeOffset? receivedAt = null) => new(
        Channel.Visit,
        Category.Complaint,
        new Person("张三", null, "13800138000", null),
        Enumerable.Range(0, representatives).Select(i => new Person($"代表{i}", null, null, null)).ToArray(),
        people,
        "噪音扰民",
        "夜间施工",
        null,
        null,
        receivedAt ?? Now);

    private static Petition Register(PetitionIntake intake) =>
        Petition.Register(intake, "XF-330799-2026-000001", bureauId: 1, involvedUnitId: null, Now, DeadlinePolicy.National, HolidayCalendar.National);

    [Fact]
    public void A_registered_petition_starts_its_intake_clock_on_the_day_of_receipt()
    {
        var petition = Register(Intake(receivedAt: new DateTimeOffset(2026, 9, 20, 9, 0, 0, TimeSpan.FromHours(8))));

        Assert.Equal(Stage.Registered, petition.Stage);
        Assert.Equal(new DateOnly(2026, 10, 8), petition.IntakeDeadline.Due);
    }

    [Fact]
    public void Receipt_late_in_the_evening_counts_from_the_Shanghai_date()
    {
        // 23:30 in Shanghai is still 15:30 UTC of the same day; 00:30 next day Shanghai is 16:30 UTC the day before.
        var petition = Register(Intake(receivedAt: new DateTimeOffset(2026, 11, 19, 16, 30, 0, TimeSpan.Zero)));

        Assert.Equal(new DateOnly(2026, 12, 7), petition.IntakeDeadline.Due); // from 11-20: 12-05 Saturday → 12-07
    }

    [Fact]
    public void A_group_visit_has_at_most_five_representatives()
    {
        Register(Intake(representatives: 5, people: 30));

        var refused = Assert.Throws<RuleViolationException>(() => Register(Intake(representatives: 6, people: 30)));
        Assert.Equal("representatives-limit", refused.Rule);
    }

    [Fact]
    public void A_petition_cannot_be_received_in_the_future() =>
        Assert.Equal("received-in-future", Assert.Throws<RuleViolationException>(() => Register(Intake(receivedAt: Now.AddHours(1)))).Rule);

    [Fact]
    public void There_are_never_more_representatives_than_people() =>
        Assert.Equal("representatives-limit", Assert.Throws<RuleViolationException>(() => Register(Intake(representatives: 3, people: 2))).Rule);

    [Fact]
    public void A_reply_is_served_neither_before_it_was_issued_nor_in_the_future()
    {
        // Accepted on 2026-11-02, the opinion approved (the handling clock stopped) on 2026-11-16, a Monday.
        var petition = Register(Intake(receivedAt: new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8))));
        petition.StartClock(ClockKind.Handling, new DateOnly(2026, 11, 2), DeadlinePolicy.National, HolidayCalendar.National);
        petition.RequireOpenClock(ClockKind.Handling).Stop(new DateOnly(2026, 11, 16));
        var today = new DateOnly(2026, 11, 20);

        Assert.Equal("served-before-issued", Assert.Throws<RuleViolationException>(() => petition.RecordService(new DateOnly(2026, 11, 15), today)).Rule);
        Assert.Equal("served-before-issued", Assert.Throws<RuleViolationException>(() => petition.RecordService(DateOnly.MinValue, today)).Rule);
        Assert.Equal("served-in-future", Assert.Throws<RuleViolationException>(() => petition.RecordService(new DateOnly(2026, 11, 21), today)).Rule);
        Assert.Equal(Stage.ReturnVisit, petition.RecordService(new DateOnly(2026, 11, 16), today)); // the day it was issued
    }
}
