using System.Diagnostics;
using Hangfire;
using Hangfire.Common;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Api.Hosting;
using Petitions.Workflows.Features.Deadlines;
using Petitions.Workflows.Privacy;
using Petitions.Workflows.Storage;

namespace Petitions.Bench;

/// <summary>
/// Deadlines the way an application built on Hangfire keeps them — one <c>BackgroundJob.Schedule</c> per deadline,
/// a delayed job in Hangfire's storage — against ours: a clock row per deadline and the sweep. For each side, on a
/// fresh database of the same provider holding the same petitions: the time to schedule the deadlines (each its own
/// call or transaction, from several concurrent callers); the storage's growth from them; and, from the moment the
/// scheduler starts with every deadline due, the time until every one has fired and each one's lateness (its
/// escalation's time after that moment). Firing does the same work on both sides, our escalation of the clock
/// (warning, state, supervision item, history, outbox, audit), so the difference is the scheduling machinery.
/// Hangfire's storage is configured as the service configures it (Scheduling.NewStorage: on SQLite in the process's
/// memory, on PostgreSQL its schema in the same database; queues and schedules polled every second).
/// </summary>
internal sealed class HangfirePeerBench(int deadlines, int workers)
{
    /// <summary>One side's figures; <c>Failed</c> counts deadlines that fired without being escalated.</summary>
    public sealed record Side(TimeSpan Schedule, TimeSpan? ScheduleBulk, long Bytes, TimeSpan AllFired, TimeSpan LatenessP50, TimeSpan LatenessP99, long Escalated, long Failed);

    /// <param name="Floor">Every deadline's escalation written set-based (<see cref="Floors"/>), on our side's database before its sweep.</param>
    public sealed record Figures(int Deadlines, Side Hangfire, Side Clocks, TimeSpan Floor);

    // Seeded clocks fell due in January 2026; the sweep and the peer's jobs both turn them red.
    private static readonly DateOnly DueOn = new(2026, 1, 20);
    private static readonly DateOnly CheckOn = new(2026, 1, 17);

    public async Task<Figures> RunAsync(StorageProvider provider, Func<Task<string>> newDatabase)
    {
        var hangfire = await HangfireAsync(provider, await newDatabase());
        var (clocks, floor) = await ClocksAsync(provider, await newDatabase());
        return new Figures(deadlines, hangfire, clocks, floor);
    }

    /// <summary>Petitions of the same shape on both sides, so only the deadlines differ.</summary>
    private async Task<ServiceProvider> PrepareAsync(StorageProvider provider, string connectionString)
    {
        var services = BenchServices.Compose(provider, BenchDatabases.WithoutCommandTimeout(provider, connectionString), PersonalDataKeys.Generate());
        await BenchServices.PrepareAsync(services);
        await BulkPetitions.PetitionsAsync(services.GetRequiredService<Database>(), deadlines);
        return services;
    }

    private async Task<(Side, TimeSpan Floor)> ClocksAsync(StorageProvider provider, string connectionString)
    {
        await using var services = await PrepareAsync(provider, connectionString);
        var database = services.GetRequiredService<Database>();
        var before = await BenchDatabases.SizeAsync(provider, connectionString);

        // One by one: the clock row an action writes (PetitionStore's statement), in a transaction of its own.
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(1, deadlines), new ParallelOptions { MaxDegreeOfParallelism = workers }, async (petitionId, ct) =>
        {
            await using var session = new DbSession(database);
            await session.BeginAsync(ct);
            await session.ExecuteAsync(
                """
                INSERT INTO clocks (petition_id, kind, started_on, due_on, provisional, state, next_check_on)
                VALUES (@PetitionId, 'intake', @StartedOn, @DueOn, @Provisional, 'running', @NextCheckOn)
                """,
                new { PetitionId = petitionId, StartedOn = new DateOnly(2026, 1, 5), DueOn, Provisional = false, NextCheckOn = CheckOn }, ct);
            await session.CommitAsync(ct);
        });
        var schedule = watch.Elapsed;
        var bytes = await BenchDatabases.SizeAsync(provider, connectionString) - before;

        // The same rows again by one set-based statement, as a migration or an import would write them.
        await using (var session = new DbSession(database)) await session.ExecuteAsync("DELETE FROM clocks", null, CancellationToken.None);
        watch.Restart();
        await BulkPetitions.IntakeClocksAsync(database, due: deadlines);
        var bulk = watch.Elapsed;

        var floor = await Floors.EscalationAsync(database);
        var started = DateTimeOffset.UtcNow;
        watch.Restart();
        var swept = await BenchServices.SendAsync(services, new SweepClocks.Command());
        var allFired = watch.Elapsed;
        var (p50, p99) = await LatenessAsync(database, started);
        return (new Side(schedule, bulk, bytes, allFired, p50, p99, await WarningsAsync(database), swept.Skipped), floor);
    }

    private async Task<Side> HangfireAsync(StorageProvider provider, string connectionString)
    {
        await using var services = await PrepareAsync(provider, connectionString);
        var database = services.GetRequiredService<Database>();
        await BulkPetitions.IntakeClocksAsync(database, due: deadlines); // the state the jobs escalate; not counted

        var storage = Scheduling.NewStorage(new StorageOptions { Provider = provider, ConnectionString = connectionString }, new JobsOptions());
        // A failed escalation is counted, not retried: the run must end.
        var filters = new JobFilterCollection { new AutomaticRetryAttribute { Attempts = 0 }, new StatisticsHistoryAttribute() };
        var client = new BackgroundJobClient(storage, filters);
        // On SQLite Hangfire keeps its jobs in the process: the managed heap's growth stands for the storage's.
        async Task<long> SizeAsync() => provider == StorageProvider.Sqlite
            ? GC.GetTotalMemory(forceFullCollection: true)
            : await BenchDatabases.SizeAsync(provider, connectionString);
        var before = await SizeAsync();

        // Due a second from now: by the time the scheduler starts, after all are scheduled, every one is due.
        var dueAt = DateTimeOffset.UtcNow.AddSeconds(1);
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(1, deadlines), new ParallelOptions { MaxDegreeOfParallelism = workers }, (clockId, _) =>
        {
            client.Schedule<Escalator>(e => e.EscalateAsync(clockId), dueAt);
            return ValueTask.CompletedTask;
        });
        var schedule = watch.Elapsed;
        var bytes = await SizeAsync() - before;

        var started = DateTimeOffset.UtcNow;
        watch.Restart();
        var options = new JobsOptions();
        using (new BackgroundJobServer(
                   new BackgroundJobServerOptions
                   {
                       SchedulePollingInterval = options.PollInterval,
                       FilterProvider = filters,
                       Activator = new EscalatorActivator(new Escalator(services)),
                   },
                   storage))
        {
            var monitoring = storage.GetMonitoringApi();
            var deadline = DateTime.UtcNow.AddHours(1);
            while (await WarningsAsync(database) + monitoring.FailedCount() < deadlines)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"Hangfire fired {await WarningsAsync(database)} of {deadlines} deadlines in an hour.");
                await Task.Delay(50);
            }
        }
        var allFired = watch.Elapsed;
        var (p50, p99) = await LatenessAsync(database, started);
        return new Side(schedule, null, bytes, allFired, p50, p99, await WarningsAsync(database), storage.GetMonitoringApi().FailedCount());
    }

    private static async Task<long> WarningsAsync(Database database)
    {
        await using var session = new DbSession(database);
        return await session.ScalarAsync<long>("SELECT COUNT(*) FROM clock_warnings", null, CancellationToken.None);
    }

    /// <summary>Each escalation's time (its warning's instant) after the scheduler started with all of them due.</summary>
    private static async Task<(TimeSpan P50, TimeSpan P99)> LatenessAsync(Database database, DateTimeOffset started)
    {
        await using var session = new DbSession(database);
        var warned = (await session.QueryAsync<DateTimeOffset>("SELECT warned_at FROM clock_warnings", null, CancellationToken.None))
            .Select(w => w - started)
            .Order()
            .ToList();
        return warned.Count == 0 ? (TimeSpan.Zero, TimeSpan.Zero) : (warned[warned.Count / 2], warned[Math.Min(warned.Count - 1, warned.Count * 99 / 100)]);
    }

    /// <summary>What each scheduled job does: our escalation of one clock, as the sweep would send it.</summary>
    public sealed class Escalator(ServiceProvider services)
    {
        public Task EscalateAsync(long clockId) => BenchServices.SendAsync(services, new EscalateClock.Command(clockId));
    }

    private sealed class EscalatorActivator(Escalator escalator) : JobActivator
    {
        public override object ActivateJob(Type jobType) => jobType == typeof(Escalator) ? escalator : base.ActivateJob(jobType);
    }
}
