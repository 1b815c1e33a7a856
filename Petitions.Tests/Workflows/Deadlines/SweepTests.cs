using Petitions.Domain;
using Petitions.Tests.Support;
using Petitions.Workflows.Features.Deadlines;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Workflows.Deadlines;

public abstract class SweepTests(StorageProvider provider, DatabaseServers servers) : WorkflowTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : SweepTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : SweepTests(StorageProvider.Postgres, servers);

    private Task<SweepClocks.Result> SweepAsync() => Harness.SendAsync(new SweepClocks.Command());

    private async Task AtAsync(int year, int month, int day, SweepClocks.Result expected)
    {
        Harness.Clock.Set(ManualClock.Shanghai(year, month, day));
        Assert.Equal(expected, await SweepAsync());
        Assert.Equal(new SweepClocks.Result(0, 0, 0), await SweepAsync()); // a second pass finds nothing more
    }

    [Fact]
    public async Task A_handling_clock_turns_amber_then_red_exactly_once_across_a_weekend()
    {
        Harness.Clock.Set(ManualClock.Shanghai(2026, 1, 20));
        var journey = new Journey(Harness);
        var caseNumber = await journey.RegisterAsync();
        await journey.DoAsync(caseNumber, "accept"); // handling due 2026-03-23 (DOMAIN.md §3), amber from 03-20

        await AtAsync(2026, 3, 19, new(0, 0, 0));
        await AtAsync(2026, 3, 20, new(1, 0, 0));
        await AtAsync(2026, 3, 23, new(0, 0, 0)); // the due day itself is not late
        await AtAsync(2026, 3, 24, new(0, 1, 0));

        var clock = (await journey.StateAsync(caseNumber)).OpenClock(ClockKind.Handling)!;
        Assert.Equal((ClockState.Overdue, WarningLevel.Overdue, (DateOnly?)null), (clock.State, clock.Warned, clock.NextCheckOn));
        Assert.Equal(["near-due", "overdue"], await Database.QueryAsync<string>("SELECT level FROM clock_warnings ORDER BY warned_at"));
        Assert.Equal(1, await Database.CountAsync("supervision_items", "state = 'open'"));
        // The unit and the office are told of each warning.
        Assert.Equal(4, await Database.CountAsync("outbox"));
        Assert.Equal(1, await Database.CountAsync("petition_events", "action = 'overdue'"));
    }

    [Fact]
    public async Task Spring_Festival_moves_the_warnings_with_the_deadline()
    {
        Harness.Clock.Set(ManualClock.Shanghai(2026, 2, 1));
        await new Journey(Harness).RegisterAsync(); // nominal 02-16 falls in the break: due 02-24 (DOMAIN.md §3)

        await AtAsync(2026, 2, 17, new(0, 0, 0));  // the nominal end has passed, the real one has not
        await AtAsync(2026, 2, 21, new(1, 0, 0));  // amber three days before 02-24
        await AtAsync(2026, 2, 24, new(0, 0, 0));
        await AtAsync(2026, 2, 25, new(0, 1, 0));
    }

    [Fact]
    public async Task After_downtime_the_next_sweep_catches_up_straight_to_red()
    {
        Harness.Clock.Set(ManualClock.Shanghai(2026, 9, 20));
        var journey = new Journey(Harness);
        await journey.RegisterAsync(); // intake due 2026-10-08 across National Day

        await AtAsync(2026, 12, 1, new(0, 1, 0));
        Assert.Equal(["overdue"], await Database.QueryAsync<string>("SELECT level FROM clock_warnings"));
    }

    [Fact]
    public async Task A_stopped_clock_never_warns()
    {
        var journey = new Journey(Harness);
        var caseNumber = await journey.RegisterAsync();
        await journey.DoAsync(caseNumber, "decline");

        await AtAsync(2027, 6, 1, new(0, 0, 0));
    }

    [Fact]
    public async Task An_extension_after_amber_moves_red_but_gives_no_second_amber()
    {
        Harness.Clock.Set(ManualClock.Shanghai(2026, 1, 20));
        var journey = new Journey(Harness);
        var caseNumber = await journey.RegisterAsync();
        await journey.DoAsync(caseNumber, "accept");
        await AtAsync(2026, 3, 20, new(1, 0, 0));
        await journey.DoAsync(caseNumber, "request-extension");
        await journey.DoAsync(caseNumber, "approve-extension"); // 90 days from 01-20: 2026-04-20

        await AtAsync(2026, 4, 20, new(0, 0, 0));
        await AtAsync(2026, 4, 21, new(0, 1, 0));
    }

    [Fact]
    public async Task Three_sweepers_at_once_warn_each_clock_once()
    {
        var journey = new Journey(Harness);
        for (var i = 0; i < 150; i++) await journey.RegisterAsync();
        Harness.Clock.Set(ManualClock.Shanghai(2026, 12, 31));

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(SweepAsync)));

        Assert.Equal(150, results.Sum(r => r.Overdue));
        Assert.Equal(150, await Database.CountAsync("clock_warnings", "level = 'overdue'"));
        Assert.Equal(150, await Database.CountAsync("supervision_items"));
        Assert.Equal(new SweepClocks.Result(0, 0, 0), await SweepAsync());
    }

    [Fact]
    public async Task The_outbox_queues_each_notification_once_and_delivery_sends_it_once()
    {
        var journey = new Journey(Harness);
        await journey.RegisterAsync();
        Harness.Clock.Set(ManualClock.Shanghai(2026, 12, 31));
        await SweepAsync();

        var queued = await Harness.SendAsync(new DispatchOutbox.Command());

        Assert.Equal(1, queued); // the office (no unit is assigned yet)
        Assert.Equal(0, await Harness.SendAsync(new DispatchOutbox.Command()));
        var id = Assert.Single(Harness.Notifications.Queued);
        Assert.True(await Harness.SendAsync(new DeliverNotification.Command(id)));
        Assert.False(await Harness.SendAsync(new DeliverNotification.Command(id)));
        Assert.Equal("overdue", Assert.Single(Harness.Notifications.Sent).Kind);
        Assert.Equal(1, await Database.CountAsync("outbox", "sent_at IS NOT NULL AND queued_at IS NOT NULL AND attempts = 1"));
    }
}
