using Petitions.Api.Hosting;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Resilience;

/// <summary>
/// Hangfire's recurring-job locks on PostgreSQL are rows: a process killed while its scheduler held one leaves it for
/// the storage's lock timeout (a minute), and a service started meanwhile could not declare that job within Hangfire's
/// 15 seconds and failed to start (seen when a full test run shared a busy machine: CrashTests' restart after a kill).
/// The service now starts anyway and declares its recurring jobs once the lock is free.
/// </summary>
public sealed class RecurringJobLockTests(DatabaseServers servers) : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async ValueTask InitializeAsync() => _database = await servers.CreateAsync(StorageProvider.Postgres);

    public ValueTask DisposeAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;

    [Fact]
    public async Task A_service_starts_while_a_dead_process_holds_the_sweeps_lock_and_declares_the_sweep_once_it_is_free()
    {
        await using var cluster = await ServiceCluster.SeedAsync(_database, new Dictionary<string, string>());
        await cluster.StartAsync(1); // installs Hangfire's schema and declares the jobs
        cluster[0].Kill();

        // The lock as the dead process would have left it, and the sweep's declaration gone, so that its return shows.
        var storage = Scheduling.NewStorage(new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = _database.ConnectionString }, new JobsOptions());
        using var connection = storage.GetConnection();
        var held = connection.AcquireDistributedLock($"lock:recurring-job:{Scheduling.Sweep}", TimeSpan.FromSeconds(30));
        const string Declared = "key = 'recurring-job:deadline-sweep'";
        await _database.ExecuteAsync($"DELETE FROM {Scheduling.PostgresSchema}.hash WHERE {Declared}");
        await _database.ExecuteAsync($"DELETE FROM {Scheduling.PostgresSchema}.set WHERE key = 'recurring-jobs' AND value = @Sweep", new { Scheduling.Sweep });

        await cluster.RestartAsync(0); // listens: before the fix it exited with PostgreSqlDistributedLockException
        using var http = new HttpClient { BaseAddress = cluster[0].BaseAddress, Timeout = Progress.Stall };
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/health", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(0, await _database.CountAsync($"{Scheduling.PostgresSchema}.hash", Declared));

        held.Dispose();
        await Progress.UntilAsync(() => _database.CountAsync($"{Scheduling.PostgresSchema}.hash", $"{Declared} AND field = 'Cron'"), 1,
            "the sweep is declared once its lock is free", () => cluster[0].Output);
        Assert.Contains("declares its recurring jobs once the lock is free", cluster[0].Output, StringComparison.Ordinal);
        Assert.False(cluster[0].HasExited);
    }
}
