using Petitions.Domain;
using Petitions.Tests.Support;
using Petitions.Workflows;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Workflows.Actions;

/// <summary>The rules an action checks beyond its stage and roles.</summary>
public abstract class RuleTests(StorageProvider provider, DatabaseServers servers) : WorkflowTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : RuleTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : RuleTests(StorageProvider.Postgres, servers);

    [Fact]
    public async Task An_accusation_never_goes_to_the_unit_it_accuses_and_that_unit_never_sees_it()
    {
        var journey = new Journey(Harness);
        var accusation = TestData.Petition(await journey.ActorAsync("reception")) with { Category = "accusation", InvolvedUnit = "城关派出所" };
        var caseNumber = (await Harness.SendAsync(accusation)).CaseNumber;

        Assert.Equal("accused-unit", await Refused(() => journey.DoAsync(caseNumber, "accept", "office", new { unit = "330799-01" })));
        await journey.DoAsync(caseNumber, "accept", "office", new { unit = "330799-02" });
        Assert.Equal("accused-unit", await Refused(() => journey.DoAsync(caseNumber, "reassign", "office", new { unit = "330799-01", reason = "改派" })));

        var accused = await journey.ActorAsync("handler"); // a user of 城关派出所
        await Assert.ThrowsAsync<NotFoundException>(() => Harness.SendAsync(new GetPetition.Query(caseNumber, accused)));
        Assert.Empty((await Harness.SendAsync(new ListPetitions.Query { Actor = accused })).Items);
    }

    [Fact]
    public async Task Review_can_be_asked_only_within_30_days_of_service()
    {
        var journey = new Journey(Harness);
        var onTime = await journey.RegisterAsync();
        var caseNumber = await journey.RegisterAsync();
        foreach (var step in Journey.MainRoute.Take(5))
        {
            await journey.DoAsync(onTime, step);
            await journey.DoAsync(caseNumber, step); // both served 2026-11-20, then closed
        }

        Harness.Clock.Set(ManualClock.Shanghai(2026, 12, 21)); // 11-20 + 30 = Sunday 12-20 → the window ends Monday 12-21
        await journey.DoAsync(onTime, "request-review");
        Harness.Clock.Set(ManualClock.Shanghai(2026, 12, 22));
        var refused = await Assert.ThrowsAsync<RuleViolationException>(() => journey.DoAsync(caseNumber, "request-review"));

        Assert.Equal("review-window-closed", refused.Rule);
        Assert.Contains("2026-12-21", refused.Message, StringComparison.Ordinal);
        Assert.Equal(Stage.Closed, (await journey.StateAsync(caseNumber)).Stage);
        await journey.DoAsync(caseNumber, "finalize");
        Assert.Equal(Stage.Final, (await journey.StateAsync(caseNumber)).Stage);
    }

    [Fact]
    public async Task The_handling_period_is_extended_once_by_at_most_30_days()
    {
        var journey = new Journey(Harness);
        var caseNumber = await journey.RegisterAsync();
        await journey.DoAsync(caseNumber, "accept");

        await Assert.ThrowsAsync<FluentValidation.ValidationException>(() => journey.DoAsync(caseNumber, "request-extension", payload: new { days = 31, reason = "复杂" }));
        await journey.DoAsync(caseNumber, "request-extension", payload: new { days = 10, reason = "复杂" });
        Assert.Equal("extension-pending", await Refused(() => journey.DoAsync(caseNumber, "request-extension")));
        await journey.DoAsync(caseNumber, "approve-extension");
        Assert.Equal("extension-used", await Refused(() => journey.DoAsync(caseNumber, "request-extension")));
        Assert.Equal("no-extension-request", await Refused(() => journey.DoAsync(caseNumber, "approve-extension")));
        Assert.Equal(10, (await journey.StateAsync(caseNumber)).OpenClock(ClockKind.Handling)!.ExtraDays);
    }

    [Fact]
    public async Task A_review_that_orders_rehandling_sends_the_petition_back_with_a_new_handling_clock()
    {
        var journey = new Journey(Harness);
        var caseNumber = await journey.RegisterAsync();
        foreach (var step in Journey.MainRoute.Take(6)) await journey.DoAsync(caseNumber, step); // under review at the city

        await journey.DoAsync(caseNumber, "submit-review-opinion", payload: new { outcome = "order-rehandling", text = "事实不清，责令重新办理。" });

        var petition = await journey.StateAsync(caseNumber);
        Assert.Equal((Stage.InHandling, ReviewLevel.Handling), (petition.Stage, petition.Level));
        Assert.Equal(2, petition.Clocks.Count(c => c.Kind == ClockKind.Handling));
        Assert.NotNull(petition.OpenClock(ClockKind.Handling));
        await journey.DoAsync(caseNumber, "submit-opinion", "handler"); // the same unit handles it again
    }

    [Fact]
    public async Task A_referral_gives_the_subordinate_bureau_a_linked_case_with_its_clocks()
    {
        var journey = new Journey(Harness);
        var caseNumber = await journey.RegisterAsync(registrar: "city");

        await journey.DoAsync(caseNumber, "refer", "city", new { bureau = "330799", comment = "请依法处理并报告结果" });

        var linked = Assert.Single(await Database.QueryAsync<string>(
            "SELECT p.case_number FROM petition_links l JOIN petitions p ON p.id = l.linked_petition_id WHERE l.kind = 'referred-to'"));
        Assert.StartsWith("XF-330799-", linked, StringComparison.Ordinal);
        var referred = await journey.StateAsync(linked);
        Assert.Equal(Stage.Registered, referred.Stage);
        Assert.Equal(new DateOnly(2026, 11, 27), referred.OpenClock(ClockKind.ReferralObjection)!.DueOn); // 5 working days from Friday 11-20
        var staff = await Harness.SendAsync(new GetPetition.Query(linked, await journey.ActorAsync("office")));
        Assert.Equal(TestData.PetitionerName, staff.Petitioner.Name);
        Assert.Equal("referred-from", Assert.Single(await Database.QueryAsync<string>(
            "SELECT kind FROM petition_links WHERE petition_id = (SELECT id FROM petitions WHERE case_number = @Linked)", new { Linked = linked })));
    }

    [Fact]
    public async Task A_duplicate_is_linked_to_the_earlier_petition()
    {
        var journey = new Journey(Harness);
        var earlier = await journey.RegisterAsync();
        var again = await journey.RegisterAsync();

        Assert.Equal("duplicate-of-itself", await Refused(() => journey.DoAsync(again, "mark-duplicate", earlier: again)));
        Assert.Equal("unknown-earlier-petition", await Refused(() => journey.DoAsync(again, "mark-duplicate", earlier: "XF-330799-2026-999999")));
        await journey.DoAsync(again, "mark-duplicate", earlier: earlier);

        Assert.Equal(Stage.Closed, (await journey.StateAsync(again)).Stage);
        Assert.Equal(1, await Database.CountAsync("petition_links", "kind = 'duplicate-of'"));
    }
}
