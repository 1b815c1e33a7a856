using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.SqlServer;
using Hangfire.States;
using Hangfire.InMemory;
using MediatR;
using Microsoft.Extensions.Options;
using Petitions.Domain;
using Petitions.Workflows.Features.Deadlines;
using Petitions.Workflows.Features.Supervision;
using Petitions.Workflows.Storage;

namespace Petitions.Api.Hosting;

/// <summary>The <c>Jobs:*</c> configuration keys (README, "How background work runs").</summary>
public sealed class JobsOptions
{
    /// <summary>Run a Hangfire server in this process (its workers, the recurring and delayed job schedulers).</summary>
    public bool Enabled { get; set; } = true;
    public int Workers { get; set; } = 4;

    /// <summary>How often the schedulers look for due recurring and delayed jobs, and idle workers for queued ones.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    // Cron expressions (five fields, or six with seconds first), in China Standard Time.
    public string SweepCron { get; set; } = "*/5 * * * * *";
    public string OutboxCron { get; set; } = "*/5 * * * * *";
    public string DigestCron { get; set; } = "0 8 * * *";
    public string FinalizeCron { get; set; } = "30 0 * * *";
    public string PurgeCron { get; set; } = "0 3 * * *";

    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Retries of a notification whose sender failed, after the first attempt.</summary>
    public int NotificationRetries { get; set; } = 8;

    /// <summary>The wait before the first retry; it doubles each time, up to an hour.</summary>
    public TimeSpan NotificationRetryDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Recurring jobs paused by configuration: their ids, comma-separated.</summary>
    public string Paused { get; set; } = "";

    public IReadOnlySet<string> PausedIds => Paused.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
}

/// <summary>
/// Hangfire runs the background work: the deadline sweep and the outbox dispatcher every few seconds, the daily digest,
/// finalizing petitions whose request window passed unused, and purging old idempotency records, as recurring jobs;
/// and each notification's delivery as a job of its own, retried with back-off. Every job sends one command through
/// the mediator. The deadlines stay rows of ours: exactly once per clock and level comes from our keys in the same
/// transaction as the escalation, so a job that Hangfire runs twice changes nothing the second time.
/// Nothing here touches Hangfire's process-wide configuration but its serializer settings and log provider (the
/// same for every host), so test hosts in one process do not share storages or filters.
/// </summary>
public static partial class Scheduling
{
    public const string Sweep = "deadline-sweep";
    public const string Outbox = "outbox-dispatch";
    public const string Digest = "daily-digest";
    public const string Finalize = "finalize-missed-windows";
    public const string Purge = "purge-idempotency-records";

    /// <summary>Hangfire's schema on PostgreSQL (on SQL Server it keeps its default, <c>HangFire</c>).</summary>
    public const string PostgresSchema = "hangfire";

    // UTC+8 without daylight saving, as ShanghaiTime explains; independent of the host's time-zone data.
    internal static readonly TimeZoneInfo ChinaStandardTime =
        TimeZoneInfo.CreateCustomTimeZone("China Standard Time", ShanghaiTime.Offset, "China Standard Time", "China Standard Time");

    public static WebApplicationBuilder AddBackgroundJobs(this WebApplicationBuilder builder)
    {
        RefuseRenamedKeys(builder.Configuration);
        // The job server starts after the service listens (JobServer), so a setting Hangfire refuses must stop the start here.
        builder.Services.AddOptions<JobsOptions>().Bind(builder.Configuration.GetSection("Jobs"))
            .Validate(o => !o.Enabled || o.Workers >= 1, "Jobs:Workers must be at least 1 where Jobs:Enabled is true.")
            .Validate(o => o.PollInterval > TimeSpan.Zero, "Jobs:PollInterval must be longer than zero, such as 00:00:01.")
            .ValidateOnStart();
        builder.Services.AddSingleton<ITimeZoneResolver, ChinaTimeZoneResolver>();
        builder.Services.AddSingleton<PausedJobs>();
        builder.Services.AddSingleton<IJobFilterProvider, JobFilters>();
        builder.Services.AddSingleton(CreateStorage);
        builder.Services.AddSingleton<IBackgroundJobClient>(s => new BackgroundJobClient(s.GetRequiredService<JobStorage>(), s.GetRequiredService<IJobFilterProvider>()));
        builder.Services.AddSingleton<IRecurringJobManager>(s => new RecurringJobManager(
            s.GetRequiredService<JobStorage>(), s.GetRequiredService<IJobFilterProvider>(), s.GetRequiredService<ITimeZoneResolver>()));
        builder.Services.AddSingleton<INotificationQueue, HangfireNotificationQueue>();
        builder.Services.AddScoped<PetitionJobs>();
        if (builder.Configuration.GetValue("Jobs:Enabled", true)) builder.Services.AddHostedService<JobServer>();
        return builder;
    }

    /// <summary>
    /// Hangfire's schema, installed under the lock our migrations take, so instances that start together on an empty
    /// database do not race to install it. Our migrations never touch Hangfire's tables. On SQLite, Hangfire keeps its
    /// jobs in memory (docs/decisions/0010).
    /// </summary>
    public static Task InstallJobStorageAsync(Migrator migrator, StorageOptions storage, CancellationToken ct) =>
        storage.Provider switch
        {
            StorageProvider.Postgres => migrator.UnderMigrationLockAsync(() =>
            {
                using var connection = new Npgsql.NpgsqlConnection(storage.ConnectionString);
                connection.Open();
                PostgreSqlObjectsInstaller.Install(connection, PostgresSchema);
            }, ct),
            StorageProvider.SqlServer => migrator.UnderMigrationLockAsync(() =>
            {
                using var connection = new Microsoft.Data.SqlClient.SqlConnection(storage.ConnectionString);
                connection.Open();
                SqlServerObjectsInstaller.Install(connection, null, enableHeavyMigrations: false);
            }, ct),
            _ => Task.CompletedTask,
        };

    /// <summary>
    /// The dashboard at <c>/jobs</c>: through the site's cookie sign-in only (a bearer token alone does not open it),
    /// for administrators and supervisors. It is one dashboard for the whole deployment, so only an administrator of
    /// the root organization manages jobs (pause, resume, trigger, delete, requeue); other administrators and
    /// supervisors see it read-only. Job arguments are ids, never personal data.
    /// </summary>
    public static IEndpointConventionBuilder MapJobsDashboard(this IEndpointRouteBuilder endpoints, string path = "/jobs")
    {
        PausePage.Register();
        var services = endpoints.ServiceProvider;
        var options = new DashboardOptions
        {
            AppPath = "/",
            DashboardTitle = "Petitions · jobs",
            Authorization = [],
            AsyncAuthorization = [],
            IsReadOnlyFunc = context => context.GetHttpContext().Items[ManagesJobs] is not true,
            DisplayStorageConnectionString = false,
            TimeZoneResolver = services.GetRequiredService<ITimeZoneResolver>(),
        };
        var pipeline = endpoints.CreateApplicationBuilder()
            .UsePathBase(path)
            .Use(async (context, next) =>
            {
                context.Items[ManagesJobs] = await ManagesJobsAsync(context);
                await next(context);
            })
            .UseMiddleware<AspNetCoreDashboardMiddleware>(services.GetRequiredService<JobStorage>(), options, DashboardRoutes.Routes, true)
            .Build();
        return endpoints.Map(path + "/{**path}", pipeline)
            .RequireAuthorization(Endpoints.SessionEndpoints.PagesPolicy, Endpoints.PagesAuthorization.Jobs) // a page, like the others
            .ExcludeFromDescription();
    }

    private const string ManagesJobs = "petitions:manages-jobs";

    private static async Task<bool> ManagesJobsAsync(HttpContext context)
    {
        var actor = Http.Claims.Actor(context.User);
        if (!actor.HasAny(Role.Admin) || actor.OrganizationId is not { } organizationId) return false;
        var organization = await context.RequestServices.GetRequiredService<AccountStore>().OrganizationAsync(organizationId, context.RequestAborted);
        return organization is { ParentId: null };
    }

    private static void RefuseRenamedKeys(IConfiguration configuration)
    {
        var old = configuration.GetSection("Deadlines").GetChildren().Select(c => c.Path).ToList();
        if (old.Count > 0)
            throw new InvalidOperationException(
                $"{string.Join(", ", old)}: the Deadlines:* keys are now Jobs:* (Jobs:Enabled, Jobs:SweepCron, Jobs:DigestCron, …; see README).");
    }

    private static JobStorage CreateStorage(IServiceProvider services)
    {
        HangfireLogs.Use(services.GetRequiredService<ILoggerFactory>());
        return NewStorage(services.GetRequiredService<IOptions<StorageOptions>>().Value, services.GetRequiredService<IOptions<JobsOptions>>().Value);
    }

    /// <summary>Hangfire's storage as the service configures it (the peer benchmark uses it too).</summary>
    public static JobStorage NewStorage(StorageOptions storage, JobsOptions jobs)
    {
        // Process-wide by Hangfire's design; every host sets the same.
        GlobalConfiguration.Configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer() // stored jobs survive an upgrade of our assemblies
            .UseRecommendedSerializerSettings()
            .UseLogProvider(HangfireLogs.Instance);
        // A job of a process that died is taken again after the invisibility timeout; live servers keep theirs.
        var invisibility = TimeSpan.FromMinutes(5);
        return storage.Provider switch
        {
            StorageProvider.Postgres => new PostgreSqlStorage(
                new NpgsqlConnectionFactory(storage.ConnectionString, new PostgreSqlStorageOptions()),
                new PostgreSqlStorageOptions
                {
                    SchemaName = PostgresSchema,
                    PrepareSchemaIfNecessary = false, // InstallJobStorageAsync, under our migration lock
                    QueuePollInterval = jobs.PollInterval,
                    InvisibilityTimeout = invisibility,
                    UseSlidingInvisibilityTimeout = true,
                    // Its locks are rows; a killed process's lock blocks the recurring scheduler until this passes.
                    DistributedLockTimeout = TimeSpan.FromMinutes(1),
                }),
            StorageProvider.SqlServer => new SqlServerStorage(storage.ConnectionString, new SqlServerStorageOptions
            {
                PrepareSchemaIfNecessary = false,
                SqlClientFactory = Microsoft.Data.SqlClient.SqlClientFactory.Instance,
                QueuePollInterval = jobs.PollInterval,
                SlidingInvisibilityTimeout = invisibility,
            }),
            // SQLite deployments are one process: Hangfire keeps its jobs in it (docs/decisions/0010).
            _ => new InMemoryStorage(),
        };
    }

    /// <summary>
    /// Declares the recurring jobs (every instance that runs jobs declares the same ones; Hangfire enqueues each
    /// occurrence once for the whole deployment) and, once the service has started, starts a Hangfire server.
    /// </summary>
    private sealed partial class JobServer(
        JobStorage storage,
        IJobFilterProvider filters,
        ITimeZoneResolver timeZones,
        IRecurringJobManager recurring,
        IBackgroundJobClient client,
        IServiceScopeFactory scopes,
        IOptions<JobsOptions> options,
        IHostApplicationLifetime lifetime,
        ILogger<JobServer> logger) : IHostedService, IDisposable
    {
        private BackgroundJobServer? _server;
        private readonly CancellationTokenSource _stopping = new();
        private Task _declaring = Task.CompletedTask;
        private Task _starting = Task.CompletedTask;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            // Delivery jobs queued by an earlier process died with it: a job queues their notifications again, so
            // that start-up does not wait for it.
            var started = DateTimeOffset.UtcNow;
            if (storage is InMemoryStorage) client.Enqueue<PetitionJobs>(j => j.RequeueNotificationsAsync(started, CancellationToken.None));
            var jobs = options.Value;
            // A process killed while it held a recurring job's lock (its scheduler takes it at every occurrence) leaves
            // the lock behind until the storage's DistributedLockTimeout passes, longer than Hangfire waits to declare
            // a job. The declarations then wait in the background: the service starts, and until they are made the
            // jobs run as the deployment last declared them.
            try
            {
                DeclareRecurringJobs(jobs);
            }
            catch (Hangfire.Storage.DistributedLockTimeoutException)
            {
                LogDeclarationWaits(logger);
                _declaring = DeclareWhenUnlockedAsync(jobs, _stopping.Token);
            }
            // The server's dispatchers and workers start once the service listens, beside its first requests rather
            // than before them: on two cores that took 0.2-0.4 s off the start on PostgreSQL (README, Benchmarks).
            lifetime.ApplicationStarted.Register(() => _starting = Task.Run(() => _server = new BackgroundJobServer(
                new BackgroundJobServerOptions
                {
                    WorkerCount = jobs.Workers,
                    SchedulePollingInterval = jobs.PollInterval,
                    FilterProvider = filters,
                    Activator = new AspNetCoreJobActivator(scopes),
                    TimeZoneResolver = timeZones,
                },
                storage)));
            return Task.CompletedTask;
        }

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            await _stopping.CancelAsync();
            await _starting;
            await _declaring;
            if (_server is null) return;
            _server.SendStop();
            await _server.WaitForShutdownAsync(cancellationToken);
        }

        public void Dispose()
        {
            _server?.Dispose();
            _stopping.Dispose();
        }

        private void DeclareRecurringJobs(JobsOptions jobs)
        {
            // After downtime each recurring job runs once for the occurrences it missed (Hangfire's relaxed misfire
            // handling), and the sweep catches up every clock that fell due meanwhile: they are rows.
            var every = new RecurringJobOptions { TimeZone = ChinaStandardTime, MisfireHandling = MisfireHandlingMode.Relaxed };
            recurring.AddOrUpdate<PetitionJobs>(Sweep, j => j.SweepAsync(CancellationToken.None), jobs.SweepCron, every);
            recurring.AddOrUpdate<PetitionJobs>(Outbox, j => j.DispatchOutboxAsync(CancellationToken.None), jobs.OutboxCron, every);
            recurring.AddOrUpdate<PetitionJobs>(Digest, j => j.RecordDigestAsync(CancellationToken.None), jobs.DigestCron, every);
            recurring.AddOrUpdate<PetitionJobs>(Scheduling.Finalize, j => j.FinalizeMissedWindowsAsync(CancellationToken.None), jobs.FinalizeCron, every);
            recurring.AddOrUpdate<PetitionJobs>(Purge, j => j.PurgeIdempotencyRecordsAsync(CancellationToken.None), jobs.PurgeCron, every);
        }

        /// <summary>Tries again every few seconds (each try itself waits for the lock) until the jobs are declared or the service stops.</summary>
        private async Task DeclareWhenUnlockedAsync(JobsOptions jobs, CancellationToken stopping)
        {
            while (true)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), stopping);
                    await Task.Run(() => DeclareRecurringJobs(jobs), stopping);
                    LogDeclared(logger);
                    return;
                }
                catch (Hangfire.Storage.DistributedLockTimeoutException)
                {
                    // still held: try again
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
            }
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "A recurring job's lock is held (by a process that died holding it, or a busy one): the service starts, and declares its recurring jobs once the lock is free")]
        private static partial void LogDeclarationWaits(ILogger logger);

        [LoggerMessage(Level = LogLevel.Information, Message = "Declared the recurring jobs after waiting for their lock")]
        private static partial void LogDeclared(ILogger logger);
    }

    /// <summary>Recurring jobs always in China Standard Time, whatever time-zone data the host has.</summary>
    private sealed class ChinaTimeZoneResolver : ITimeZoneResolver
    {
        public TimeZoneInfo GetTimeZoneById(string tzId) =>
            tzId == ChinaStandardTime.Id ? ChinaStandardTime : TimeZoneInfo.FindSystemTimeZoneById(tzId);
    }

    /// <summary>Each notification's delivery is a job of its own, retried by <see cref="JobFilters"/>.</summary>
    private sealed class HangfireNotificationQueue(IBackgroundJobClient jobs) : INotificationQueue
    {
        public void Enqueue(long outboxId) => jobs.Enqueue<PetitionJobs>(j => j.DeliverNotificationAsync(outboxId, CancellationToken.None));
    }

    /// <summary>
    /// The filters of every job (this deployment's, not Hangfire's global ones): the dashboard's statistics, the
    /// pause switch, and retries. A notification is retried <c>Jobs:NotificationRetries</c> times with exponential
    /// back-off and jitter (<c>Jobs:NotificationRetryDelay</c>, 15 s: 15 s, 30 s, 1 min, … up to an hour apart, each ±25 %), then fails and stays in the
    /// dashboard's Failed list, where an administrator can requeue it. A recurring job is not retried: its next
    /// occurrence does the same work; a failure stays in the Failed list too.
    /// </summary>
    private sealed class JobFilters : IJobFilterProvider
    {
        private readonly JobFilter[] _delivery;
        private readonly JobFilter[] _recurring;

        public JobFilters(PausedJobs paused, IOptions<JobsOptions> options)
        {
            JobFilter Global(object filter) => new(filter, JobFilterScope.Global, null);
            _delivery =
            [
                Global(new StatisticsHistoryAttribute()),
                Global(new AutomaticRetryAttribute
                {
                    Attempts = options.Value.NotificationRetries,
                    DelayInSecondsByAttemptFunc = attempt => Backoff(attempt, options.Value.NotificationRetryDelay),
                    OnAttemptsExceeded = AttemptsExceededAction.Fail,
                }),
            ];
            _recurring =
            [
                Global(new StatisticsHistoryAttribute()),
                Global(paused),
                Global(new AutomaticRetryAttribute { Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail }),
            ];
        }

        public IEnumerable<JobFilter> GetFilters(Job job) => job?.Method.Name == nameof(PetitionJobs.DeliverNotificationAsync) ? _delivery : _recurring;

        /// <summary>The first delay doubling per attempt, at most an hour, ±25 % so that failures at one moment spread out.</summary>
        private static int Backoff(long attempt, TimeSpan first)
        {
            var seconds = Math.Min(first.TotalSeconds * Math.Pow(2, Math.Min(attempt - 1, 20)), 3600);
            return Math.Max(1, (int)Math.Round(seconds * (0.75 + (Random.Shared.NextDouble() / 2))));
        }
    }

}

/// <summary>
/// The jobs, each one command through the mediator in the job's own scope. The loops (sweep, finalize) run one at a
/// time in a process: an occurrence that finds one running returns, since the running one takes what is due; several
/// instances run theirs side by side, sharing the rows through row locks.
/// </summary>
public sealed class PetitionJobs(IMediator mediator, IOptions<JobsOptions> options)
{
    private static readonly SemaphoreSlim SweepGate = new(1, 1);
    private static readonly SemaphoreSlim FinalizeGate = new(1, 1);

    public Task SweepAsync(CancellationToken ct) => OneAtATimeAsync(SweepGate, () => mediator.Send(new SweepClocks.Command(), ct));

    public Task DispatchOutboxAsync(CancellationToken ct) => mediator.Send(new DispatchOutbox.Command(), ct);

    public Task RecordDigestAsync(CancellationToken ct) => mediator.Send(new RecordDailyDigest.Command(), ct);

    public Task FinalizeMissedWindowsAsync(CancellationToken ct) => OneAtATimeAsync(FinalizeGate, () => mediator.Send(new FinalizeMissedWindows.Command(), ct));

    public Task PurgeIdempotencyRecordsAsync(CancellationToken ct) => mediator.Send(new PurgeIdempotencyRecords.Command(options.Value.IdempotencyRetention), ct);

    public Task DeliverNotificationAsync(long outboxId, CancellationToken ct) => mediator.Send(new DeliverNotification.Command(outboxId), ct);

    /// <summary>Queues again the unsent notifications queued before <paramref name="queuedBefore"/>: their jobs died with the
    /// process that held them (Hangfire in memory, on SQLite).</summary>
    public async Task RequeueNotificationsAsync(DateTimeOffset queuedBefore, CancellationToken ct)
    {
        while (await mediator.Send(new DispatchOutbox.Command(QueuedBefore: queuedBefore), ct) > 0) { }
    }

    private static async Task OneAtATimeAsync(SemaphoreSlim gate, Func<Task> work)
    {
        if (!await gate.WaitAsync(0)) return;
        try
        {
            await work();
        }
        finally
        {
            gate.Release();
        }
    }
}
