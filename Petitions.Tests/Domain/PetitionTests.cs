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
        Petition.Register(intake, "XF-330799-2026-000001", bureauId: 1, "/330000/330700/330799/", involvedUnit: null, accusedUnitToConfirm: false, Now, DeadlinePolicy.National, HolidayCalendar.National);

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

    private static readonly OrganizationRef County = new(3, 2, OrganizationKind.County, "示范县公安局", "/330000/330700/330799/");
    private static readonly OrganizationRef Station = new(4, 3, OrganizationKind.Unit, "城关派出所", "/330000/330700/330799/330799-01/");
    private static readonly OrganizationRef Detectives = new(5, 3, OrganizationKind.Unit, "刑事侦查大队", "/330000/330700/330799/330799-02/");

    private static Petition Accusation(OrganizationRef? accused, bool toConfirm = false) => Petition.Register(
        Intake() with { Category = Category.Accusation }, "XF-330799-2026-000001", County.Id, County.Path, accused, toConfirm,
        Now, DeadlinePolicy.National, HolidayCalendar.National);

    [Fact]
    public void An_accusation_recuses_the_accused_and_everything_under_it_but_not_the_levels_above()
    {
        var againstCounty = Petition.Register(
            Intake() with { Category = Category.Accusation }, "XF-330700-2026-000001", 2, "/330000/330700/", County, false, Now, DeadlinePolicy.National, HolidayCalendar.National);

        Assert.True(againstCounty.Recuses(County.Path));
        Assert.True(againstCounty.Recuses(Station.Path));
        Assert.False(againstCounty.Recuses("/330000/330700/"));
        Assert.False(againstCounty.Recuses("/330000/330700/330798/"));
        Assert.False(Accusation(accused: null).Recuses(Station.Path));
    }

    [Fact]
    public void An_accusation_is_assigned_neither_to_the_accused_nor_anywhere_while_its_accused_unit_waits_for_confirmation()
    {
        var chosen = Accusation(Station);
        var typed = Accusation(accused: null, toConfirm: true);

        Assert.Equal("accused-unit", Assert.Throws<RuleViolationException>(() => chosen.AssignTo(Station, County)).Rule);
        Assert.Equal("accused-unit-unconfirmed", Assert.Throws<RuleViolationException>(() => typed.AssignTo(Detectives, County)).Rule);

        typed.ConfirmAccusedUnit(Station, County);
        Assert.Equal("accused-unit", Assert.Throws<RuleViolationException>(() => typed.AssignTo(Station, County)).Rule);
        typed.AssignTo(Detectives, County);
        Assert.Equal(Detectives.Id, typed.AssignedUnitId);
    }

    private static OfficerCandidate Officer(long id, OrganizationRef unit, bool handler = true, bool disabled = false) =>
        new(id, $"警员{id}", unit.Id, unit.Path, handler, disabled);

    [Fact]
    public void An_officer_is_an_enabled_handler_of_the_unit_handling_the_petition_and_another_unit_or_the_office_clears_it()
    {
        var petition = Register(Intake());
        petition.AssignTo(Station, County);
        Assert.Equal("officer-not-in-handling", Assert.Throws<RuleViolationException>(() => petition.AssignOfficer(Officer(1, Station))).Rule);
        petition.EnterStage(Stage.InHandling);

        Assert.Equal("officer-not-in-unit", Assert.Throws<RuleViolationException>(() => petition.AssignOfficer(Officer(2, Detectives))).Rule);
        Assert.Equal("officer-not-in-unit", Assert.Throws<RuleViolationException>(() => petition.AssignOfficer(Officer(3, County))).Rule);
        Assert.Equal("officer-disabled", Assert.Throws<RuleViolationException>(() => petition.AssignOfficer(Officer(4, Station, disabled: true))).Rule);
        Assert.Equal("officer-not-handler", Assert.Throws<RuleViolationException>(() => petition.AssignOfficer(Officer(5, Station, handler: false))).Rule);
        Assert.Null(petition.OfficerId);

        petition.AssignOfficer(Officer(1, Station));
        Assert.Equal("same-officer", Assert.Throws<RuleViolationException>(() => petition.AssignOfficer(Officer(1, Station))).Rule);
        petition.AssignOfficer(Officer(6, Station)); // handed over within the unit
        Assert.Equal(6, petition.OfficerId);

        petition.AssignTo(Detectives, County);
        Assert.Null(petition.OfficerId);
        petition.AssignOfficer(Officer(2, Detectives));
        petition.ReturnToOffice();
        Assert.Null(petition.OfficerId);
    }

    [Fact]
    public void The_office_may_state_that_no_unit_of_ours_is_accused_but_not_name_the_bureau_itself()
    {
        var typed = Accusation(accused: null, toConfirm: true);

        Assert.Equal("accused-outside-bureau", Assert.Throws<RuleViolationException>(() => typed.ConfirmAccusedUnit(County, County)).Rule);
        typed.ConfirmAccusedUnit(unit: null, County);
        typed.AssignTo(Station, County);
        Assert.False(typed.AccusedUnitToConfirm);
    }

    [Fact]
    public void A_bureau_does_not_register_an_accusation_against_itself()
    {
        var refused = Assert.Throws<RuleViolationException>(() => Accusation(County));

        Assert.Equal("accused-bureau", refused.Rule);
        Assert.Equal("not-an-accusation", Assert.Throws<RuleViolationException>(() => Register(Intake()).ConfirmAccusedUnit(Station, County)).Rule);
    }

    [Fact]
    public void A_reply_is_served_neither_before_it_was_issued_nor_in_the_future()
    {
        // Received on 2026-11-02, the opinion approved (issued) on 2026-11-16, a Monday.
        var petition = Register(Intake(receivedAt: new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8))));
        petition.RecordOpinion("support", "经调查属实。");
        petition.ApproveOpinion(new DateOnly(2026, 11, 16));
        var today = new DateOnly(2026, 11, 20);

        Assert.Equal("served-before-issued", Assert.Throws<RuleViolationException>(() => petition.RecordService(new DateOnly(2026, 11, 15), today)).Rule);
        Assert.Equal("served-before-issued", Assert.Throws<RuleViolationException>(() => petition.RecordService(DateOnly.MinValue, today)).Rule);
        Assert.Equal("served-in-future", Assert.Throws<RuleViolationException>(() => petition.RecordService(new DateOnly(2026, 11, 21), today)).Rule);
        Assert.Equal(Stage.ReturnVisit, petition.RecordService(new DateOnly(2026, 11, 16), today)); // the day it was issued
    }
}
