using Petitions.Domain;
using Petitions.Tests.Support;
using Petitions.Workflows;
using Petitions.Workflows.Features.Actions;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Features.Public;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Workflows.Referral;

/// <summary>
/// Referral (交办) as a lifecycle (DOMAIN.md §2): the referring case waits; the receiving bureau objects within 5
/// working days or triages the matter, which ends the objection clock; when its case ends it reports back and the
/// referring case closes with the outcome. The petitioner follows it all with the original case number and code.
/// </summary>
public abstract class ReferralTests(StorageProvider provider, DatabaseServers servers) : WorkflowTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : ReferralTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : ReferralTests(StorageProvider.Postgres, servers);

    [Fact]
    public async Task A_referral_objected_to_goes_back_to_the_referring_office()
    {
        var journey = new Journey(Harness);
        var (referring, referred) = await journey.ReferAsync(); // Friday 2026-11-20

        var waiting = await journey.StateAsync(referring);
        Assert.Equal(Stage.Referred, waiting.Stage);
        Assert.DoesNotContain(waiting.Clocks, c => c.IsOpen); // nothing of the city's runs while the county has the matter
        var notice = Assert.Single(await NoticesAsync(referring, "city"));
        Assert.Equal(("referral", "金华市公安局"), (notice.Kind, notice.Issuer));
        Assert.Contains("示范县公安局", (await Harness.SendAsync(new GetNotice.Query(referring, notice.Id, await journey.ActorAsync("city")))).Details["to"], StringComparison.Ordinal);
        Assert.Contains("object-to-referral", await OfferedAsync(referred, "office"));

        // 5 working days from Friday 11-20: 11-23, 11-24, 11-25, 11-26, 11-27 → due Friday 11-27.
        Assert.Equal(new DateOnly(2026, 11, 27), (await journey.StateAsync(referred)).OpenClock(ClockKind.ReferralObjection)!.DueOn);
        Harness.Clock.Set(ManualClock.Shanghai(2026, 11, 25));
        await journey.DoAsync(referred, "object-to-referral", "office", new { reason = "属市交通管理部门职权" });

        var county = await journey.StateAsync(referred);
        Assert.Equal((Stage.Closed, ReferralAnswer.Objected), (county.Stage, county.ReferralAnswer));
        Assert.DoesNotContain(county.Clocks, c => c.IsOpen);
        var city = await journey.StateAsync(referring);
        Assert.Equal((Stage.Registered, (long?)null), (city.Stage, city.ReferredToId));
        // The city decides again under a new intake clock from the day of the objection: 11-25 + 15 = 12-10 (Thursday).
        Assert.Equal((new DateOnly(2026, 11, 25), new DateOnly(2026, 12, 10)), (city.OpenClock(ClockKind.Intake)!.StartedOn, city.OpenClock(ClockKind.Intake)!.DueOn));
        var history = await Harness.SendAsync(new GetPetition.Query(referring, await journey.ActorAsync("city")));
        var returned = history.Timeline.Last();
        Assert.Equal(("referral-returned", "示范县公安局"), (returned.Action, returned.Organization));
        Assert.Contains("属市交通管理部门职权", returned.Comment, StringComparison.Ordinal);
        Assert.Equal("referral-answered", await Refused(() => journey.DoAsync(referred, "report-back", "office")));

        // Referred elsewhere, the matter now waits for the neighbouring county.
        await journey.DoAsync(referring, "refer", "city", new { bureau = TestData.OtherCountyCode });
        Assert.Equal(Stage.Referred, (await journey.StateAsync(referring)).Stage);
    }

    [Fact]
    public async Task The_objection_period_is_5_working_days_and_any_triage_ends_it()
    {
        var journey = new Journey(Harness);
        Harness.Clock.Set(ManualClock.Shanghai(2026, 9, 24));
        var (_, late) = await journey.ReferAsync("出租车拒载投诉");
        // 5 working days from Thursday 09-24: 09-25 to 09-27 and 10-01 to 10-07 are days off, 10-10 a make-up Saturday:
        // 09-28, 09-29, 09-30, 10-08, 10-09 → due Friday 10-09 (DOMAIN.md §3).
        Assert.Equal(new DateOnly(2026, 10, 9), (await journey.StateAsync(late)).OpenClock(ClockKind.ReferralObjection)!.DueOn);
        Harness.Clock.Set(ManualClock.Shanghai(2026, 10, 10));
        Assert.DoesNotContain("object-to-referral", await OfferedAsync(late, "office"));
        Assert.Equal("objection-window-closed", await Refused(() => journey.DoAsync(late, "object-to-referral", "office")));

        // Accepted, then given back to the office by its unit: the objection period ended with the acceptance.
        var (_, triaged) = await journey.ReferAsync("交通事故责任认定不公");
        await journey.DoAsync(triaged, "accept", "office");
        Assert.Equal(ClockState.Stopped, (await journey.StateAsync(triaged)).Clocks.Single(c => c.Kind == ClockKind.ReferralObjection).State);
        await journey.DoAsync(triaged, "return-to-office", "handler");
        Assert.DoesNotContain("object-to-referral", await OfferedAsync(triaged, "office"));
        Assert.Equal("objection-window-closed", await Refused(() => journey.DoAsync(triaged, "object-to-referral", "office")));
    }

    [Fact]
    public async Task A_referral_accepted_and_reported_back_is_followed_by_the_petitioner_from_the_original_code()
    {
        var journey = new Journey(Harness);
        var registered = await Harness.SendAsync(TestData.Petition(await journey.ActorAsync("city"), "交通事故责任认定不公") with { Petitioner = TestData.AnotherPerson() });
        var referring = registered.CaseNumber;
        await journey.DoAsync(referring, "refer", "city");
        var referred = await journey.ReferredCaseAsync(referring);

        var progress = await LookUpAsync(referring, registered.QueryCode);
        Assert.Equal(("registered", new DateOnly(2026, 12, 7)), (progress.Stage, progress.DueOn)); // the county's intake: 11-20 + 15 = Saturday 12-05 → Monday 12-07
        Assert.Equal(["register", "refer"], progress.Timeline.Select(s => s.Event));
        Assert.Equal(["referral"], progress.Notices.Select(n => n.Kind));

        Harness.Clock.Advance(TimeSpan.FromDays(1));
        await journey.DoAsync(referred, "accept", "office");
        Assert.DoesNotContain("report-back", await OfferedAsync(referred, "office"));
        Harness.Clock.Advance(TimeSpan.FromDays(1));
        foreach (var step in new[] { "submit-opinion", "approve-opinion", "record-service", "record-return-visit" }) await journey.DoAsync(referred, step);

        progress = await LookUpAsync(referring, registered.QueryCode);
        Assert.Equal("closed", progress.Stage);
        Assert.Equal(
            ["register", "refer", "accept", "approve-opinion", "record-service", "record-return-visit"],
            progress.Timeline.Select(s => s.Event));
        Assert.Equal(["referral", "acceptance", "handling-opinion", "proof-of-service"], progress.Notices.Select(n => n.Kind));
        // After service the petitioner's own deadline shows: the review window, 30 days from Sunday 11-22 → Tuesday 12-22.
        Assert.Equal(new DateOnly(2026, 12, 22), progress.DueOn);
        Assert.True(progress.CanEvaluate);

        Assert.Contains("report-back", await OfferedAsync(referred, "office"));
        await journey.DoAsync(referred, "report-back", "office", new { report = "已依法办结，处理意见已送达。" });
        var city = await journey.StateAsync(referring);
        Assert.Equal(Stage.Closed, city.Stage);
        Assert.Equal(("support", "经调查，反映情况属实，责令施工方夜间停工。"), (city.Opinion!.Outcome, city.Opinion.Text)); // closed with the outcome
        var record = await Harness.SendAsync(new GetPetition.Query(referring, await journey.ActorAsync("city")));
        Assert.Equal("referral-reported", record.Timeline.Last().Action);
        Assert.Contains(referred, record.Timeline.Last().Comment, StringComparison.Ordinal);
        Assert.Equal(("referred-to", referred, "reported"), (record.Links.Single().Kind, record.Links.Single().CaseNumber, record.Links.Single().ReferralAnswer));
        Assert.Equal("referral-answered", await Refused(() => journey.DoAsync(referred, "report-back", "office")));

        // The petitioner evaluates from the original code; the evaluation is the county's case's.
        await Harness.SendAsync(new EvaluatePetition.Command(referring, registered.QueryCode, "basically-satisfied", "处理及时"));
        var evaluation = Assert.Single((await Harness.SendAsync(new GetPetition.Query(referred, await journey.ActorAsync("office")))).Evaluations, e => e.Source == "petitioner");
        Assert.Equal(("basically-satisfied", "处理及时"), (evaluation.Satisfaction, evaluation.Comment));
        progress = await LookUpAsync(referring, registered.QueryCode);
        Assert.False(progress.CanEvaluate);
        Assert.Equal(["referral-reported", "report-back", "evaluate"], progress.Timeline.TakeLast(3).Select(s => s.Event)); // both bureaus' steps
    }

    [Fact]
    public async Task A_matter_referred_twice_is_followed_from_the_first_code_to_the_bureau_handling_it()
    {
        var journey = new Journey(Harness);
        var registered = await Harness.SendAsync(TestData.Petition(await journey.ActorAsync("province"), "交通事故责任认定不公") with { Petitioner = TestData.AnotherPerson() });
        await journey.DoAsync(registered.CaseNumber, "refer", "province", new { bureau = "330700" });
        var atCity = await journey.ReferredCaseAsync(registered.CaseNumber);
        await journey.DoAsync(atCity, "refer", "city", new { bureau = "330799" });
        var atCounty = await journey.ReferredCaseAsync(atCity);
        Harness.Clock.Advance(TimeSpan.FromDays(1));
        await journey.DoAsync(atCounty, "accept", "office");

        var progress = await LookUpAsync(registered.CaseNumber, registered.QueryCode);
        Assert.Equal("in-handling", progress.Stage); // the county's case, two referrals down
        Assert.Equal(["register", "refer", "refer", "accept"], progress.Timeline.Select(s => s.Event));
        Assert.Equal(["referral", "referral", "acceptance"], progress.Notices.Select(n => n.Kind));
    }

    [Fact]
    public async Task A_referral_ended_at_triage_reports_the_triage_decision_back()
    {
        var journey = new Journey(Harness);
        var (referring, referred) = await journey.ReferAsync("出租车拒载投诉");
        await journey.DoAsync(referred, "decline", "office");

        Assert.Contains("report-back", await OfferedAsync(referred, "office"));
        await journey.DoAsync(referred, "report-back", "office", new { report = "不属于本机关职权范围，已告知信访人。" });

        var city = await journey.StateAsync(referring);
        Assert.Equal((Stage.Closed, (Opinion?)null), (city.Stage, city.Opinion)); // no opinion was given: none is carried over
        var reported = (await Harness.SendAsync(new GetPetition.Query(referring, await journey.ActorAsync("city")))).Timeline.Last();
        Assert.Equal("referral-reported", reported.Action);
        Assert.StartsWith($"← {referred}: decline: ", reported.Comment, StringComparison.Ordinal); // the county's triage decision
    }

    [Fact]
    public async Task A_referred_accusation_is_kept_from_the_unit_it_accuses()
    {
        var journey = new Journey(Harness);
        var accusation = await Harness.SendAsync(TestData.Petition(await journey.ActorAsync("city"), "举报城关派出所民警违规办案") with
        {
            Category = "accusation",
            InvolvedUnit = "城关派出所",
            InvolvedOfficer = "李某",
            Petitioner = TestData.AnotherPerson(),
        });
        await journey.DoAsync(accusation.CaseNumber, "refer", "city");
        var referred = await journey.ReferredCaseAsync(accusation.CaseNumber);

        var record = await Harness.SendAsync(new GetPetition.Query(referred, await journey.ActorAsync("office")));
        Assert.Equal(("accusation", "城关派出所", "李某"), (record.Category, record.InvolvedUnit, record.InvolvedOfficer));
        Assert.Equal(typeof(NotFoundException), await journey.ReadRefusalAsync(referred, "handler")); // a user of 城关派出所
        Assert.Equal("accused-unit", await Refused(() => journey.DoAsync(referred, "accept", "office", new { unit = "330799-01" })));
        await journey.DoAsync(referred, "accept", "office", new { unit = "330799-02" });
        Assert.Equal("accused-unit", await Refused(() => journey.DoAsync(referred, "reassign", "office", new { unit = "330799-01", reason = "改派" })));
        Assert.Equal(typeof(NotFoundException), await journey.ReadRefusalAsync(referred, "handler"));
    }

    private async Task<LookUpPetition.Response> LookUpAsync(string caseNumber, string queryCode) =>
        await Harness.SendAsync(new LookUpPetition.Query(caseNumber, queryCode));

    private async Task<IReadOnlyList<ListNotices.Notice>> NoticesAsync(string caseNumber, string user) =>
        await Harness.SendAsync(new ListNotices.Query(caseNumber, await Harness.ActorAsync(user)));

    private async Task<IEnumerable<string>> OfferedAsync(string caseNumber, string user) =>
        (await Harness.SendAsync(new ListActions.Query(caseNumber, await Harness.ActorAsync(user)))).Select(a => a.Action);
}
