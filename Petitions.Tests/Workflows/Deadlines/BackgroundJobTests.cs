using Petitions.Tests.Support;
using Petitions.Workflows.Features.Deadlines;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Workflows.Deadlines;

/// <summary>
/// The commands the background jobs send. Hangfire runs a job at least once, not exactly once: each job run twice at
/// once does its work once, and running them all again changes nothing.
/// </summary>
public abstract class BackgroundJobTests(StorageProvider provider, DatabaseServers servers) : WorkflowTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : BackgroundJobTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : BackgroundJobTests(StorageProvider.Postgres, servers);

    private static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    /// <summary>
    /// 2026-11-20: one petition registered (with an idempotency key), another one closed with its reply served that
    /// day, so its review window runs 30 calendar days to 2026-12-20, a Sunday, moved to Monday 2026-12-21
    /// (DOMAIN.md §3). On 2026-12-22 the first one's intake clock (due 2026-12-07) is overdue, the window has passed,
    /// and the idempotency record is 32 days old.
    /// </summary>
    private async Task<(string Open, string Closed)> ArrangeAsync()
    {
        var journey = new Journey(Harness);
        var open = (await Harness.SendAsync(TestData.Petition(await journey.ActorAsync("reception")) with { IdempotencyKey = "retry-me" })).CaseNumber;
        var closed = await journey.RegisterAsync(subject: "已办结事项");
        foreach (var step in new[] { "accept", "submit-opinion", "approve-opinion", "record-service", "record-return-visit" })
            await journey.DoAsync(closed, step);
        Harness.Clock.Set(ManualClock.Shanghai(2026, 12, 21));
        Assert.Equal(new FinalizeMissedWindows.Result(0, 0), await Harness.SendAsync(new FinalizeMissedWindows.Command())); // the last day of the window
        Harness.Clock.Set(ManualClock.Shanghai(2026, 12, 22));
        return (open, closed);
    }

    [Fact]
    public async Task Each_job_run_twice_at_once_does_its_work_once()
    {
        var (open, closed) = await ArrangeAsync();

        var sweeps = await Twice(() => Harness.SendAsync(new SweepClocks.Command()));
        var finalizes = await Twice(() => Harness.SendAsync(new FinalizeMissedWindows.Command()));
        var dispatches = await Twice(() => Harness.SendAsync(new DispatchOutbox.Command()));
        var deliveries = new List<bool>();
        foreach (var id in Harness.Notifications.Queued.Distinct()) deliveries.AddRange(await Twice(() => Harness.SendAsync(new DeliverNotification.Command(id))));
        var purges = await Twice(() => Harness.SendAsync(new PurgeIdempotencyRecords.Command(Retention)));
        var once = await SnapshotAsync();

        // Two clocks are past due: the open petition's intake and the closed one's review window; each warned once.
        Assert.Equal(2, sweeps.Sum(r => r.Overdue));
        Assert.Equal(1, finalizes.Sum(r => r.Finalized));
        Assert.Equal(2, await Database.CountAsync("clock_warnings", "level = 'overdue'"));
        Assert.Equal(1, await Database.CountAsync("petition_events", "action = 'finalize'"));
        Assert.Equal("final", (await new Journey(Harness).StateAsync(closed)).Stage.ToString().ToLowerInvariant());
        Assert.Equal(await Database.CountAsync("outbox"), dispatches.Sum());
        Assert.Equal(dispatches.Sum(), deliveries.Count(sent => sent));
        Assert.Equal(dispatches.Sum(), Harness.Notifications.Sent.Count);
        Assert.Equal(1, purges.Sum());
        Assert.Equal(0, await Database.CountAsync("idempotency_keys"));
        Assert.Contains(open, once, StringComparison.Ordinal);

        // Every job once more, as a retry or a late duplicate would: nothing changes.
        await Harness.SendAsync(new SweepClocks.Command());
        await Harness.SendAsync(new FinalizeMissedWindows.Command());
        await Harness.SendAsync(new DispatchOutbox.Command());
        foreach (var id in Harness.Notifications.Queued.Distinct()) await Harness.SendAsync(new DeliverNotification.Command(id));
        await Harness.SendAsync(new PurgeIdempotencyRecords.Command(Retention));
        Assert.Equal(once, await SnapshotAsync());
        Assert.Equal(dispatches.Sum(), Harness.Notifications.Sent.Count);
    }

    [Fact]
    public async Task Finalizing_is_the_workflows_own_action_by_the_deciding_office_as_the_system()
    {
        var (_, closed) = await ArrangeAsync();

        Assert.Equal(new FinalizeMissedWindows.Result(1, 0), await Harness.SendAsync(new FinalizeMissedWindows.Command()));

        var events = await Database.QueryAsync<string>(
            "SELECT action FROM petition_events WHERE petition_id = (SELECT id FROM petitions WHERE case_number = @Closed) ORDER BY id", new { Closed = closed });
        Assert.Equal("finalize", events[^1]);
        Assert.Equal(1, await Database.CountAsync("audit_log", "action = 'finalize' AND outcome = 'ok' AND user_id IS NULL"));
        Assert.Equal(0, await Database.CountAsync("clocks c JOIN petitions p ON p.id = c.petition_id", "p.case_number = @Closed AND c.state <> 'stopped'", new { Closed = closed }));
    }

    [Fact]
    public async Task Purging_keeps_records_younger_than_the_age_and_refuses_an_age_that_is_not_positive()
    {
        await Harness.SendAsync(TestData.Petition(await new Journey(Harness).ActorAsync("reception")) with { IdempotencyKey = "young" });
        Harness.Clock.Advance(TimeSpan.FromDays(29));

        Assert.Equal(0, await Harness.SendAsync(new PurgeIdempotencyRecords.Command(Retention)));
        Assert.Equal(1, await Database.CountAsync("idempotency_keys"));
        await Assert.ThrowsAsync<FluentValidation.ValidationException>(() => Harness.SendAsync(new PurgeIdempotencyRecords.Command(TimeSpan.Zero)));
        Assert.Equal(1, await Database.CountAsync("idempotency_keys"));
    }

    private static async Task<T[]> Twice<T>(Func<Task<T>> job)
    {
        using var start = new Barrier(2);
        return await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait(TestContext.Current.CancellationToken);
            return job();
        })));
    }

    /// <summary>Every row the jobs could change, as text.</summary>
    private async Task<string> SnapshotAsync()
    {
        var tables = new[]
        {
            "petitions", "clocks", "clock_warnings", "supervision_items", "petition_events", "outbox", "idempotency_keys", "notices",
        };
        var rows = new List<string>();
        foreach (var table in tables)
            rows.AddRange((await Database.QueryAsync<object>($"SELECT * FROM {table} ORDER BY 1, 2")).Select(row => $"{table}: {row}"));
        return string.Join('\n', rows);
    }
}
