using Petitions.Domain;
using Petitions.Tests.Support;
using Petitions.Workflows;
using Petitions.Workflows.Features.Deadlines;
using Petitions.Workflows.Features.Supervision;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Workflows.Deadlines;

public abstract class SupervisionTests(StorageProvider provider, DatabaseServers servers) : WorkflowTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : SupervisionTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : SupervisionTests(StorageProvider.Postgres, servers);

    [Fact]
    public async Task The_boards_show_red_and_amber_clocks_within_reach()
    {
        var journey = new Journey(Harness);
        Harness.Clock.Set(ManualClock.Shanghai(2026, 11, 2));
        var late = await journey.RegisterAsync("reception", "早登记的事项");             // intake due 11-17
        Harness.Clock.Set(ManualClock.Shanghai(2026, 11, 20));
        var nearing = await journey.RegisterAsync("reception", "临期的事项");           // intake due 12-07
        await journey.RegisterAsync("reception2", "邻县的事项");                         // another county
        Harness.Clock.Set(ManualClock.Shanghai(2026, 12, 4));
        await Harness.SendAsync(new SweepClocks.Command());
        var supervisor = await journey.ActorAsync("supervisor");

        var red = await Harness.SendAsync(new SupervisionBoard.Query(WarningLevel.Overdue, "days", null, null, supervisor));
        var amber = await Harness.SendAsync(new SupervisionBoard.Query(WarningLevel.NearDue, null, null, null, supervisor));

        var overdue = Assert.Single(red);
        Assert.Equal((late, "intake", 17), (overdue.CaseNumber, overdue.Clock, overdue.DaysOverdue)); // due 11-17, today 12-04
        Assert.Equal((nearing, -3), (Assert.Single(amber).CaseNumber, amber[0].DaysOverdue));
        var handler = await journey.ActorAsync("handler");
        await Assert.ThrowsAsync<ForbiddenException>(() => Harness.SendAsync(new SupervisionBoard.Query(WarningLevel.Overdue, null, null, null, handler)));
        await Assert.ThrowsAsync<FluentValidation.ValidationException>(() => Harness.SendAsync(new SupervisionBoard.Query(WarningLevel.Overdue, "size", null, null, supervisor)));
    }

    [Fact]
    public async Task A_supervision_order_is_answered_by_the_unit_and_closed_by_the_supervisor()
    {
        var journey = new Journey(Harness);
        var caseNumber = await journey.RegisterAsync();
        await journey.DoAsync(caseNumber, "accept");
        var supervisor = await journey.ActorAsync("supervisor");

        var order = await Harness.SendAsync(new IssueSupervisionOrder.Command(caseNumber, "超期未办结", "三日内书面报告办理情况", supervisor));
        Assert.Equal(("issued", new DateOnly(2026, 11, 27)), (order.State, order.ResponseDueOn)); // 11-20 + 7 days
        Assert.Equal("clock-running", (await Assert.ThrowsAsync<RuleViolationException>(() =>
            Harness.SendAsync(new IssueSupervisionOrder.Command(caseNumber, "再次督办", "立即报告", supervisor)))).Rule);
        await Assert.ThrowsAsync<ForbiddenException>(() => Harness.SendAsync(new RespondToSupervisionOrder.Command(order.Id, "已办", supervisor)));

        var answered = await Harness.SendAsync(new RespondToSupervisionOrder.Command(order.Id, "已走访当事人，拟于本周内办结。", await journey.ActorAsync("handler")));
        var closed = await Harness.SendAsync(new CloseSupervisionOrder.Command(order.Id, supervisor));

        Assert.Equal("answered", answered.State);
        Assert.Equal("closed", closed.State);
        Assert.Null((await journey.StateAsync(caseNumber)).OpenClock(ClockKind.SupervisionResponse));
        Assert.Equal([order.Id], (await Harness.SendAsync(new ListSupervisionOrders.Query("closed", supervisor))).Select(o => o.Id));
        Assert.Equal(2, await Database.CountAsync("outbox", "kind = 'supervision-order'")); // the unit and the office
    }

    [Fact]
    public async Task An_unanswered_order_turns_red_like_any_clock()
    {
        var journey = new Journey(Harness);
        var caseNumber = await journey.RegisterAsync();
        await journey.DoAsync(caseNumber, "accept");
        await Harness.SendAsync(new IssueSupervisionOrder.Command(caseNumber, "超期", "报告", await journey.ActorAsync("supervisor")));

        Harness.Clock.Set(ManualClock.Shanghai(2026, 11, 28));
        await Harness.SendAsync(new SweepClocks.Command());

        Assert.Equal(1, await Database.CountAsync("clock_warnings w JOIN clocks c ON c.id = w.clock_id", "c.kind = 'supervision-response' AND w.level = 'overdue'"));
    }

    [Fact]
    public async Task The_daily_digest_counts_per_unit()
    {
        var journey = new Journey(Harness);
        Harness.Clock.Set(ManualClock.Shanghai(2026, 1, 20));
        var assigned = await journey.RegisterAsync();
        await journey.DoAsync(assigned, "accept");       // handling due 03-23, at 城关派出所
        await journey.RegisterAsync();                   // intake due 02-04, at the office
        Harness.Clock.Set(ManualClock.Shanghai(2026, 3, 21));
        await Harness.SendAsync(new SweepClocks.Command());

        await Harness.SendAsync(new RecordDailyDigest.Command());
        await Harness.SendAsync(new RecordDailyDigest.Command()); // a second run the same day replaces the first
        var digest = await Harness.SendAsync(new GetDigest.Query(null, await journey.ActorAsync("supervisor")));

        Assert.Equal(
            [("330799", 1, 0), ("330799-01", 0, 1)],
            digest.Select(l => (l.Code, l.Overdue, l.NearDue)).ToArray());
    }
}
