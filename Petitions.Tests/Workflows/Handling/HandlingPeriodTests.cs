using FluentValidation;
using Petitions.Domain;
using Petitions.Tests.Support;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Workflows.Handling;

/// <summary>
/// One acceptance, one handling period (DOMAIN.md §2), and actions dated by when they happened: the 60 days run from
/// the acceptance day, whoever handles the petition; a clock counts from the day its event happened, not the day it was
/// typed in. Dates are computed by hand from the 2026 holiday table of DOMAIN.md §3.
/// </summary>
public abstract class HandlingPeriodTests(StorageProvider provider, DatabaseServers servers) : WorkflowTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : HandlingPeriodTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : HandlingPeriodTests(StorageProvider.Postgres, servers);

    [Fact]
    public async Task An_acceptance_dated_last_week_runs_its_60_days_from_that_date()
    {
        var journey = new Journey(Harness);
        Harness.Clock.Set(ManualClock.Shanghai(2026, 8, 3)); // Monday: the letter of 07-24 is entered today
        var caseNumber = (await Harness.SendAsync(TestData.Petition(await journey.ActorAsync("reception")) with
        {
            Channel = "letter",
            Petitioner = TestData.AnotherPerson(),
            ReceivedAt = ManualClock.Shanghai(2026, 7, 24, 9),
        })).CaseNumber;

        Assert.Equal("date-before-previous-step", await Refused(() => journey.DoAsync(caseNumber, "accept", payload: new { unit = "330799-01", acceptedOn = "2026-07-23" })));
        await Assert.ThrowsAsync<ValidationException>(() => journey.DoAsync(caseNumber, "accept", payload: new { unit = "330799-01", acceptedOn = "2026-08-04" }));
        await Assert.ThrowsAsync<ValidationException>(() => journey.DoAsync(caseNumber, "accept", payload: new { unit = "330799-01", acceptedOn = "9999-12-31" }));
        Assert.Equal("date-before-previous-step", await Refused(() => journey.DoAsync(caseNumber, "accept", payload: new { unit = "330799-01", acceptedOn = "0001-01-01" })));

        // Accepted Monday 07-27 (last week). 60 days: 07-28…07-31 is 4, August 31 more (35), 09-01…09-25 25 more (60):
        // nominal Friday 09-25, a day off of the Mid-Autumn break (09-25–09-27) → Monday 09-28.
        // Counted from the day it was entered (08-03) it would have ended 10-02, in the National Day break → 10-08.
        await journey.DoAsync(caseNumber, "accept", payload: new { unit = "330799-01", acceptedOn = "2026-07-27" });

        var petition = await journey.StateAsync(caseNumber);
        var handling = petition.OpenClock(ClockKind.Handling)!;
        Assert.Equal((new DateOnly(2026, 7, 27), new DateOnly(2026, 9, 28), false), (handling.StartedOn, handling.DueOn, handling.Provisional));
        Assert.Equal(new DateOnly(2026, 7, 27), petition.AcceptedOn);
        // The intake clock stopped on the day of acceptance: 07-24 + 15 = Saturday 08-08 → due Monday 08-10, on time.
        var intake = petition.Clocks.Single(c => c.Kind == ClockKind.Intake);
        Assert.Equal((ClockState.Stopped, new DateOnly(2026, 8, 10)), (intake.State, intake.DueOn));
        var accepted = (await Harness.SendAsync(new GetPetition.Query(caseNumber, await journey.ActorAsync("office")))).Timeline.Single(e => e.Action == "accept");
        Assert.Equal((new DateOnly(2026, 7, 27), new DateOnly(2026, 8, 3)), (accepted.HappenedOn, ShanghaiTime.DateOf(accepted.At))); // when it happened, when entered
        var notice = await Harness.SendAsync(new GetNotice.Query(caseNumber, Assert.Single(await Database.QueryAsync<long>("SELECT id FROM notices")), await journey.ActorAsync("office")));
        Assert.Equal(("2026-07-27", "2026-09-28"), (notice.Details["acceptedOn"], notice.Details["due:handling"]));
    }

    [Fact]
    public async Task A_return_to_the_office_keeps_the_acceptance_day_and_issues_no_second_notice()
    {
        var journey = new Journey(Harness);
        var caseNumber = await journey.RegisterAsync();                   // Friday 2026-11-20
        await journey.DoAsync(caseNumber, "accept");                       // 11-20 + 60 = Tuesday 2027-01-19 (2027 has no table: provisional)
        Harness.Clock.Set(ManualClock.Shanghai(2026, 11, 25));
        await journey.DoAsync(caseNumber, "return-to-office");

        var back = await journey.StateAsync(caseNumber);
        Assert.Equal((Stage.Registered, (long?)null), (back.Stage, back.AssignedUnitId));
        var handling = back.OpenClock(ClockKind.Handling)!;               // still running, from the acceptance day
        Assert.Equal((new DateOnly(2026, 11, 20), new DateOnly(2027, 1, 19)), (handling.StartedOn, handling.DueOn));
        // The office decides again under the intake clock: 11-25 + 15 = Thursday 12-10.
        Assert.Equal(new DateOnly(2026, 12, 10), back.OpenClock(ClockKind.Intake)!.DueOn);

        Harness.Clock.Set(ManualClock.Shanghai(2026, 11, 26));
        var reassigned = await journey.DoAsync(caseNumber, "accept", payload: new { unit = "330799-02" });
        Assert.Empty(reassigned.Notices);                                  // no second 受理告知书
        var again = await journey.StateAsync(caseNumber);
        Assert.Equal((Stage.InHandling, new DateOnly(2026, 11, 20)), (again.Stage, again.AcceptedOn));
        var only = Assert.Single(again.Clocks, c => c.Kind == ClockKind.Handling);
        Assert.Equal((ClockState.Running, new DateOnly(2027, 1, 19)), (only.State, only.DueOn));
        Assert.Equal(1, await Database.CountAsync("notices", "kind = 'acceptance'"));
        Assert.Equal(0, await Database.CountAsync("clocks", "kind = 'handling' AND state = 'stopped'")); // nothing counted as handled on time
    }

    [Fact]
    public async Task Dated_requests_extensions_and_hearings_count_from_when_they_happened()
    {
        var journey = new Journey(Harness);
        var caseNumber = await journey.RegisterAsync();                   // Friday 2026-11-20
        await journey.DoAsync(caseNumber, "accept");
        await journey.DoAsync(caseNumber, "request-extension");
        Harness.Clock.Set(ManualClock.Shanghai(2026, 11, 23));
        Assert.Equal("date-before-previous-step", await Refused(() => journey.DoAsync(caseNumber, "approve-extension", payload: new { reason = "复杂", approvedOn = "2026-11-19" })));
        await journey.DoAsync(caseNumber, "approve-extension", payload: new { reason = "复杂", approvedOn = "2026-11-21" });
        Assert.Equal(new DateOnly(2026, 11, 21), (await Harness.SendAsync(new GetPetition.Query(caseNumber, await journey.ActorAsync("office")))).Timeline.Last().HappenedOn);

        foreach (var step in new[] { "submit-opinion", "approve-opinion" }) await journey.DoAsync(caseNumber, step);
        Assert.Equal("served-before-issued", await Refused(() => journey.DoAsync(caseNumber, "record-service", payload: new { servedOn = "2026-11-20", method = "post" })));
        await Assert.ThrowsAsync<ValidationException>(() => journey.DoAsync(caseNumber, "record-service", payload: new { servedOn = "2026-11-24", method = "post" }));
        await journey.DoAsync(caseNumber, "record-service", payload: new { servedOn = "2026-11-23", method = "post" });
        await journey.DoAsync(caseNumber, "record-return-visit");

        // The review request arrived by letter on 12-18 and is entered 12-28, after its window (11-23 + 30 = Wednesday
        // 12-23): it counts from its receipt, within the window; the reviewing organ's 30 days run from 12-18 → 01-17
        // 2027, a Sunday → Monday 01-18 (provisional: 2027 has no table yet).
        Harness.Clock.Set(ManualClock.Shanghai(2026, 12, 28));
        Assert.Equal("review-window-closed", await Refused(() => journey.DoAsync(caseNumber, "request-review", payload: new { reason = "不服", receivedOn = "2026-12-24" })));
        Assert.Equal("date-before-previous-step", await Refused(() => journey.DoAsync(caseNumber, "request-review", payload: new { reason = "不服", receivedOn = "2026-11-22" })));
        await journey.DoAsync(caseNumber, "request-review", payload: new { reason = "不服", receivedOn = "2026-12-18" });
        var review = (await journey.StateAsync(caseNumber)).OpenClock(ClockKind.ReviewDecision)!;
        Assert.Equal((new DateOnly(2026, 12, 18), new DateOnly(2027, 1, 18), true), (review.StartedOn, review.DueOn, review.Provisional));

        await journey.DoAsync(caseNumber, "submit-review-opinion");
        await journey.DoAsync(caseNumber, "record-service", payload: new { servedOn = "2026-12-28", method = "in-person" });
        Harness.Clock.Set(ManualClock.Shanghai(2027, 1, 8));
        await journey.DoAsync(caseNumber, "request-rereview", payload: new { reason = "不服", receivedOn = "2027-01-04" });
        // The hearing opened 01-05 and closed 01-07 (entered 01-08): two days stand still. The re-review clock from
        // 01-04: 30 + 2 = 32 days → Friday 2027-02-05 (provisional).
        Assert.Equal("date-before-previous-step", await Refused(() => journey.DoAsync(caseNumber, "start-hearing", payload: new { startedOn = "2027-01-03" })));
        await journey.DoAsync(caseNumber, "start-hearing", payload: new { startedOn = "2027-01-05" });
        Assert.Equal("date-before-previous-step", await Refused(() => journey.DoAsync(caseNumber, "end-hearing", payload: new { endedOn = "2027-01-04" })));
        await journey.DoAsync(caseNumber, "end-hearing", payload: new { endedOn = "2027-01-07" });
        var rereview = (await journey.StateAsync(caseNumber)).OpenClock(ClockKind.RereviewDecision)!;
        Assert.Equal((new DateOnly(2027, 1, 4), 2, new DateOnly(2027, 2, 5)), (rereview.StartedOn, rereview.PausedDays, rereview.DueOn));
    }
}
