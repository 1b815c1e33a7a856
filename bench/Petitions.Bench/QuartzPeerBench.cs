using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Petitions.Workflows.Features.Deadlines;
using Petitions.Workflows.Privacy;
using Petitions.Workflows.Storage;
using Quartz;

namespace Petitions.Bench;

/// <summary>
/// Deadlines the way workflow engines built on Quartz keep them — one persistent trigger per deadline in Quartz's
/// ADO.NET job store, on the same database — against ours: a clock row per deadline and the sweep. For each side, on a
/// fresh database of the same provider holding the same petitions: the time to schedule the deadlines, each in a
/// transaction of its own from several concurrent callers; the database's growth from them; and the time until every
/// one has fired. Firing does the same work on both sides, our escalation of the clock (warning, state, supervision
/// item, history, outbox, audit), so the difference is the scheduling machinery.
/// </summary>
internal sealed class QuartzPeerBench(int deadlines, int workers)
{
    /// <summary>One side's figures; <c>Failed</c> counts deadlines that fired without being escalated.</summary>
    public sealed record Side(TimeSpan Schedule, TimeSpan? ScheduleBulk, long Bytes, TimeSpan AllFired, long Escalated, long Failed);

    public sealed record Figures(int Deadlines, Side Quartz, Side Clocks);

    // Seeded clocks fell due in January 2026; the sweep and the peer's job both turn them red.
    private static readonly DateOnly DueOn = new(2026, 1, 20);
    private static readonly DateOnly CheckOn = new(2026, 1, 17);

    public async Task<Figures> RunAsync(StorageProvider provider, Func<Task<string>> newDatabase)
    {
        var quartz = await QuartzAsync(provider, await newDatabase());
        var clocks = await ClocksAsync(provider, await newDatabase());
        return new Figures(deadlines, quartz, clocks);
    }

    /// <summary>Petitions of the same shape on both sides, so only the deadlines differ.</summary>
    private async Task<ServiceProvider> PrepareAsync(StorageProvider provider, string connectionString)
    {
        var services = BenchServices.Compose(provider, connectionString, PersonalDataKeys.Generate());
        await BenchServices.PrepareAsync(services);
        await BulkPetitions.PetitionsAsync(services.GetRequiredService<Database>(), deadlines);
        return services;
    }

    private async Task<Side> ClocksAsync(StorageProvider provider, string connectionString)
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

        watch.Restart();
        var swept = await BenchServices.SendAsync(services, new SweepClocks.Command());
        var allFired = watch.Elapsed;
        return new Side(schedule, bulk, bytes, allFired, await WarningsAsync(database), swept.Skipped);
    }

    private async Task<Side> QuartzAsync(StorageProvider provider, string connectionString)
    {
        await using var services = await PrepareAsync(provider, connectionString);
        var database = services.GetRequiredService<Database>();
        await BulkPetitions.IntakeClocksAsync(database, due: deadlines); // the state the triggers' job escalates; not counted

        var escalations = new Escalations(services);
        var quartzServices = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning)).AddSingleton(escalations);
        quartzServices.AddQuartz(q =>
        {
            // SQLite has one writer. With more than one job thread (the default is 10), Quartz's own transactions and
            // the jobs' collided on the write lock and trial runs fired 4-5 deadlines a second; with one, rarely.
            if (provider == StorageProvider.Sqlite) q.UseDefaultThreadPool(1);
            q.UsePersistentStore(store =>
            {
                if (provider == StorageProvider.Sqlite) store.UseSqlite(new NormalSynchronousSqlite(), connectionString);
                else store.UsePostgres(connectionString);
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema(); // Quartz 4.7 creates its QRTZ_ tables from the scripts it embeds
                // Triggers wait in standby until all are scheduled; none should count as misfired meanwhile.
                store.ConfigureStore(o => o.MisfireThreshold = TimeSpan.FromHours(1));
            });
        });
        await using var quartzProvider = quartzServices.BuildServiceProvider();
        var scheduler = await quartzProvider.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var job = JobBuilder.Create<EscalateJob>().WithIdentity("escalate-clock", "deadlines").StoreDurably().Build();
        await scheduler.AddJob(job, AddJobOptions.Replacing);
        var before = await BenchDatabases.SizeAsync(provider, connectionString);

        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(1, deadlines), new ParallelOptions { MaxDegreeOfParallelism = workers }, async (clockId, ct) =>
            await scheduler.ScheduleJob(
                TriggerBuilder.Create()
                    .WithIdentity($"clock-{clockId}", "deadlines")
                    .ForJob(job)
                    .UsingJobData(EscalateJob.ClockKey, (long)clockId)
                    .StartNow()
                    .Build(),
                default,
                ct));
        var schedule = watch.Elapsed;
        var bytes = await BenchDatabases.SizeAsync(provider, connectionString) - before;

        watch.Restart();
        await scheduler.Start();
        var deadline = DateTime.UtcNow.AddHours(1);
        while (escalations.Done < deadlines)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Quartz fired {escalations.Done} of {deadlines} deadlines in an hour.");
            await Task.Delay(50);
        }
        var allFired = watch.Elapsed;
        await scheduler.Shutdown(waitForJobsToComplete: true);
        return new Side(schedule, null, bytes, allFired, await WarningsAsync(database), escalations.Failed);
    }

    private static async Task<long> WarningsAsync(Database database)
    {
        await using var session = new DbSession(database);
        return await session.ScalarAsync<long>("SELECT COUNT(*) FROM clock_warnings", null, CancellationToken.None);
    }

    /// <summary>What the peer's job does: our escalation of one clock, as the sweep would send it.</summary>
    private sealed class Escalations(ServiceProvider services)
    {
        private long _done;
        private long _failed;

        public long Done => Interlocked.Read(ref _done);
        public long Failed => Interlocked.Read(ref _failed);

        public async Task EscalateAsync(long clockId)
        {
            try
            {
                await BenchServices.SendAsync(services, new EscalateClock.Command(clockId));

            }
            catch (Exception)
            {
                Interlocked.Increment(ref _failed); // counted and shown: a lost escalation must not hang the run
            }
            finally
            {
                Interlocked.Increment(ref _done);
            }
        }
    }

    private sealed class EscalateJob(Escalations escalations) : IJob
    {
        public const string ClockKey = "clock";

        public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
            await escalations.EscalateAsync(context.MergedJobDataMap.GetLong(ClockKey));
    }

    /// <summary>
    /// Quartz's SQLite connections with the durability ours run with (WAL, synchronous NORMAL, docs/decisions/0003);
    /// with SQLite's default FULL every one of its commits would also wait for a sync. No busy_timeout: when the lock is
    /// taken, Microsoft.Data.Sqlite retries every 150 ms, where this SQLite build's busy handler sleeps whole seconds.
    /// </summary>
    private sealed class NormalSynchronousSqlite : DbProviderFactory
    {
        public override DbConnection CreateConnection() => new Connection();
        public override DbCommand CreateCommand() => new SqliteCommand();
        public override DbParameter CreateParameter() => new SqliteParameter();
        public override DbConnectionStringBuilder CreateConnectionStringBuilder() => new SqliteConnectionStringBuilder();

        private sealed class Connection : SqliteConnection
        {
            public override void Open()
            {
                base.Open();
                using var command = CreateCommand();
                command.CommandText = "PRAGMA synchronous = NORMAL";
                command.ExecuteNonQuery();
            }
        }
    }
}
