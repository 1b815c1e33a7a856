using System.Text.Json;
using Petitions.Domain;
using Petitions.Tests.Support;
using Petitions.Workflows;
using Petitions.Workflows.Features.Actions;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Features.Public;
using Petitions.Workflows.Privacy;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Tests.Workflows.Actions;

public abstract class LifecycleTests(StorageProvider provider, DatabaseServers servers) : WorkflowTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : LifecycleTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : LifecycleTests(StorageProvider.Postgres, servers);

    [Fact]
    public async Task A_petition_goes_the_whole_way_and_the_petitioner_sees_every_step()
    {
        var journey = new Journey(Harness);
        var registered = await Harness.SendAsync(TestData.Petition(await journey.ActorAsync("reception")));
        var caseNumber = registered.CaseNumber;
        var steps = 0;
        Task<LookUpPetition.Response> LookUpAsync() => Harness.SendAsync(new LookUpPetition.Query(caseNumber, registered.QueryCode));
        async Task Do(string action, string user, object payload, int daysLater = 1)
        {
            steps++;
            Harness.Clock.Advance(TimeSpan.FromDays(daysLater));
            await journey.DoAsync(caseNumber, action, user, payload);
        }

        // Each step happens a day after the one before it; the registration was on Friday 2026-11-20.
        await Do("accept", "office", new { unit = "330799-01", comment = "请依法办理" });                 // 11-21
        await Do("request-extension", "handler", new { days = 30, reason = "需调取施工许可材料" });
        await Do("approve-extension", "leader", new { reason = "需调取施工许可材料" });
        var handling = (await journey.StateAsync(caseNumber)).OpenClock(ClockKind.Handling)!;
        // Accepted 2026-11-21: 60 + 30 days → 2027-02-19, a Friday (2027 has no holiday table yet: provisional).
        Assert.Equal((new DateOnly(2027, 2, 19), true, 30), (handling.DueOn, handling.Provisional, handling.ExtraDays));

        await Do("submit-opinion", "handler", new { outcome = "explain", text = "初稿" });
        await Do("return-opinion", "leader", new { reason = "请补充调查笔录" });
        await Do("submit-opinion", "handler", new { outcome = "support", text = "经调查属实，已责令施工方夜间停工。" });
        await Do("approve-opinion", "leader", new { comment = "同意" });
        Assert.Null((await LookUpAsync()).Reply); // approved, not yet served: nothing to read yet
        await Do("record-service", "office", new { servedOn = "2026-11-27", method = "in-person" });      // 11-28, served the day it was approved
        // What matters to the petitioner now is their own window: 30 days from the service on 11-27 → Sunday 12-27 → Monday 12-28.
        var served = await LookUpAsync();
        Assert.Equal(("review-request", new DateOnly(2026, 12, 28)), (served.DueKind, served.DueOn));
        Assert.Equal(new LookUpPetition.Reply("support", "经调查属实，已责令施工方夜间停工。", "handling", new DateOnly(2026, 11, 27), new DateOnly(2026, 11, 27)), served.Reply);
        await Do("record-return-visit", "office", new { satisfaction = "dissatisfied", note = "认为处罚过轻" });
        await Do("request-review", "reception", new { reason = "对处理意见不服" });
        await Do("submit-review-opinion", "city", new { outcome = "uphold", text = "维持原处理意见。" });
        await Do("record-service", "city", new { servedOn = "2026-12-01", method = "post" });              // 12-02, served the day it was decided
        // The review's reply, and the re-review window: 30 days from 12-01 → Thursday 12-31.
        served = await LookUpAsync();
        Assert.Equal(("rereview-request", new DateOnly(2026, 12, 31)), (served.DueKind, served.DueOn));
        Assert.Equal(new LookUpPetition.Reply("uphold", "维持原处理意见。", "review", new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 1)), served.Reply);
        await Do("request-rereview", "city", new { reason = "对复查意见不服" });                           // 12-03
        var rereview = (await journey.StateAsync(caseNumber)).OpenClock(ClockKind.RereviewDecision)!;
        Assert.Equal(new DateOnly(2027, 1, 4), rereview.DueOn); // 12-03 + 30 = Saturday 2027-01-02 → Monday
        await Do("start-hearing", "province", new { comment = "召开听证会" });                             // 12-04
        await Do("end-hearing", "province", new { comment = "听证结束" }, daysLater: 10);                  // 12-14
        // Ten days of hearing are excluded: 12-03 + 40 = Tuesday 2027-01-12 (from the true end, not the rolled one).
        Assert.Equal(new DateOnly(2027, 1, 12), (await journey.StateAsync(caseNumber)).OpenClock(ClockKind.RereviewDecision)!.DueOn);
        await Do("submit-rereview-opinion", "province", new { outcome = "uphold", text = "维持复查意见。" });
        await Do("record-service", "province", new { servedOn = "2026-12-15", method = "in-person" });

        var petition = await journey.StateAsync(caseNumber);
        Assert.Equal(Stage.Final, petition.Stage);
        Assert.All(petition.Clocks, c => Assert.Equal(ClockState.Stopped, c.State));

        var progress = await LookUpAsync();
        Assert.Equal("final", progress.Stage);
        Assert.Equal(
            ["register", "accept", "approve-extension", "approve-opinion", "record-service", "record-return-visit", "request-review",
             "submit-review-opinion", "record-service", "request-rereview", "start-hearing", "end-hearing", "submit-rereview-opinion", "record-service"],
            progress.Timeline.Select(s => s.Event));
        Assert.Equal(new DateOnly(2026, 11, 21), progress.Timeline[1].On);
        Assert.Equal(new DateOnly(2026, 12, 15), progress.Timeline[^1].On); // served 12-15, entered 12-16: the day it happened
        Assert.Equal(
            ["acceptance", "extension", "handling-opinion", "proof-of-service", "review-opinion", "proof-of-service", "rereview-opinion", "proof-of-service"],
            progress.Notices.Select(n => n.Kind));
        Assert.Null(progress.DueOn); // nothing runs on a final petition

        var staff = await Harness.SendAsync(new GetPetition.Query(caseNumber, await journey.ActorAsync("office")));
        Assert.Equal(1 + steps, staff.Timeline.Count); // the registration and every action, public or not
    }

    [Fact]
    public async Task Only_actions_the_petitions_state_allows_are_offered()
    {
        var journey = new Journey(Harness);
        var caseNumber = await journey.RegisterAsync();
        async Task<IEnumerable<string>> Offered(string user) =>
            (await Harness.SendAsync(new ListActions.Query(caseNumber, await journey.ActorAsync(user)))).Select(a => a.Action);

        await journey.DoAsync(caseNumber, "accept");
        Assert.DoesNotContain("approve-extension", await Offered("leader"));
        Assert.Contains("request-extension", await Offered("handler"));
        await journey.DoAsync(caseNumber, "request-extension");
        Assert.DoesNotContain("request-extension", await Offered("handler"));
        Assert.Contains("approve-extension", await Offered("leader"));
        await journey.DoAsync(caseNumber, "take-charge", "leader");
        Assert.DoesNotContain("take-charge", await Offered("leader"));

        foreach (var step in new[] { "approve-extension", "submit-opinion", "approve-opinion", "record-service", "record-return-visit" })
            await journey.DoAsync(caseNumber, step);
        // A first-level reply: review may be asked for within the window, re-review may not, nor is it final yet.
        Assert.Equal(["request-review"], (await Offered("reception")));
        Assert.DoesNotContain("finalize", await Offered("office"));

        // Past the window a request received in time (by letter) may still be entered, dated its receipt, until the
        // office makes the reply final.
        Harness.Clock.Advance(TimeSpan.FromDays(40));
        Assert.Equal(["request-review"], (await Offered("reception")));
        Assert.Contains("finalize", await Offered("office"));
        await journey.DoAsync(caseNumber, "finalize");
        Assert.Empty(await Offered("reception"));
    }

    [Fact]
    public async Task Of_fifty_simultaneous_accepts_exactly_one_succeeds()
    {
        var journey = new Journey(Harness);
        var caseNumber = await journey.RegisterAsync();
        var office = await journey.ActorAsync("office");
        var payload = JsonSerializer.SerializeToElement(Journey.Payload("accept"));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            try
            {
                await Harness.SendAsync(new PerformAction.Command(caseNumber, "accept", payload, office));
                return "ok";
            }
            catch (Exception e) when (e is ConcurrencyConflictException or RuleViolationException { Rule: "wrong-stage" })
            {
                return "409";
            }
        })));

        Assert.Equal(1, outcomes.Count(o => o == "ok"));
        Assert.Equal(49, outcomes.Count(o => o == "409"));
        Assert.Equal(1, await Database.CountAsync("petition_events", "action = 'accept'"));
        Assert.Equal(1, await Database.CountAsync("clocks", "kind = 'handling'"));
        Assert.Equal(1, await Database.CountAsync("notices", "kind = 'acceptance'"));
    }

    [Fact]
    public async Task Petitions_started_on_version_1_finish_after_version_2_is_introduced()
    {
        var keys = PersonalDataKeys.Generate();
        await using var before = await WorkflowHarness.StartAsync(Database, workflows: new WorkflowCatalog([PetitionWorkflowV1.Definition]), keys: keys);
        var first = new Journey(before);
        var old = await first.RegisterAsync(subject: "旧版本事项");
        var returned = await first.RegisterAsync(subject: "旧版本退回事项");
        await first.DoAsync(returned, "accept");
        await first.DoAsync(returned, "return-to-office");                // version 1 stops the handling period
        var (referring, referred) = await first.ReferAsync("旧版本交办事项"); // version 1 closes the referring case at once

        await using var after = await WorkflowHarness.StartAsync(Database, keys: keys); // the service's catalog: versions 1 and 2
        var journey = new Journey(after);
        var fresh = await journey.RegisterAsync(subject: "新版本事项");
        foreach (var step in Journey.MainRoute) await journey.DoAsync(old, step);
        Assert.Equal(Stage.Final, (await journey.StateAsync(old)).Stage);

        // Version 1's route: a new handling period at the next acceptance; the referral closed, with nothing to object to.
        await journey.DoAsync(returned, "accept", payload: new { unit = "330799-02" });
        Assert.Equal(2, (await journey.StateAsync(returned)).Clocks.Count(c => c.Kind == ClockKind.Handling));
        Assert.Equal(Stage.Closed, (await journey.StateAsync(referring)).Stage);
        await Assert.ThrowsAsync<NotFoundException>(() => journey.DoAsync(referred, "object-to-referral", "office"));
        await journey.DoAsync(referred, "accept");

        Assert.Equal(
            [(old, 1), (returned, 1), (referring, 1), (referred, 1), (fresh, 2)],
            (await Database.QueryAsync<(string, int)>("SELECT case_number, workflow_version FROM petitions ORDER BY id")).Select(r => (r.Item1, r.Item2)));
        var (waiting, _) = await journey.ReferAsync("新版本交办事项");
        Assert.Equal(Stage.Referred, (await journey.StateAsync(waiting)).Stage);
    }
}
