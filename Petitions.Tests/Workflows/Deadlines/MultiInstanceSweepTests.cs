using System.Diagnostics;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Workflows.Deadlines;

/// <summary>
/// Service processes on one database, each running a Hangfire server, sweep 10,000 clocks that fell due at once; one
/// is killed with SIGKILL in the middle. Every clock is warned exactly once, with one supervision item and one
/// notification each. Three processes on PostgreSQL; two on SQL Server (with <c>PETITIONS_TEST_SQLSERVER</c>).
/// </summary>
public abstract class MultiInstanceSweepTests(StorageProvider provider, int instances, DatabaseServers servers) : IAsyncLifetime
{
    public sealed class OnPostgres(DatabaseServers servers) : MultiInstanceSweepTests(StorageProvider.Postgres, 3, servers);
    public sealed class OnSqlServer(DatabaseServers servers) : MultiInstanceSweepTests(StorageProvider.SqlServer, 2, servers);

    private const int Clocks = 10_000;
    private TestDatabase _database = null!;

    public async ValueTask InitializeAsync() => _database = await servers.CreateAsync(provider);

    public ValueTask DisposeAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>Every second, as fine as Hangfire's cron goes, with its schedulers and queues polled five times a second.</summary>
    public static readonly IReadOnlyDictionary<string, string> SweepEverySecond = new Dictionary<string, string>
    {
        ["Jobs:SweepCron"] = "* * * * * *",
        ["Jobs:OutboxCron"] = "* * * * * *",
        ["Jobs:PollInterval"] = "00:00:00.2",
    };

    [Fact]
    public async Task The_instances_warn_ten_thousand_clocks_exactly_once_even_when_one_is_killed()
    {
        await using var cluster = await ServiceCluster.SeedAsync(_database, SweepEverySecond);
        // Petitions received on 2025-01-02: their intake notices were due 2025-01-17, long before any real today.
        await _database.ExecuteAsync(provider == StorageProvider.SqlServer ? SqlServerPetitions : PostgresPetitions, new { Clocks });

        await cluster.StartAsync(instances);

        Task<long> Warned() => _database.CountAsync("clock_warnings");
        await WhileProgressingAsync(Warned, Clocks / 4);
        cluster[0].Kill(); // mid-sweep: its transaction in flight is lost, its claimed rows are released
        await WhileProgressingAsync(Warned, Clocks);
        await Task.Delay(2000, TestContext.Current.CancellationToken); // a few more occurrences: nothing may be warned again
        Assert.True(cluster.Instances.Skip(1).All(i => !i.HasExited), "the surviving instances kept running");

        Assert.Equal(Clocks, await _database.CountAsync("clock_warnings", "level = 'overdue'"));
        Assert.Equal(0, await _database.CountAsync("clock_warnings", "level = 'near-due'")); // caught up straight to red
        Assert.Equal(Clocks, await _database.CountAsync("supervision_items"));
        Assert.Equal(Clocks, await _database.CountAsync("outbox"));
        Assert.Equal(Clocks, await _database.CountAsync("petition_events", "action = 'overdue'"));
        Assert.Equal(Clocks, await _database.CountAsync("clocks", "state = 'overdue' AND next_check_on IS NULL"));
    }

    /// <summary>Waits until the count reaches the goal; fails only when it has not moved for a minute (a busy machine is slow, not stuck).</summary>
    private static async Task WhileProgressingAsync(Func<Task<long>> count, long goal)
    {
        var (last, still) = (-1L, Stopwatch.StartNew());
        while (await count() is var now && now < goal)
        {
            if (now != last) (last, still) = (now, Stopwatch.StartNew());
            Assert.True(still.Elapsed < TimeSpan.FromMinutes(1), $"no clock warned for a minute at {now} of {goal}");
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
    }

    private const string PostgresPetitions =
        """
        INSERT INTO petitions (case_number, bureau_id, bureau_path, channel, category, stage, subject, content, people_count,
                               received_at, registered_at, query_code_hash, workflow_version, handling_org_id, first_petition)
        SELECT 'XF-330799-2025-' || lpad(g::text, 6, '0'), o.id, o.path, 'letter', 'complaint', 'registered', '批量事项', '批量', 1,
               TIMESTAMPTZ '2025-01-02 02:00:00+00', TIMESTAMPTZ '2025-01-02 02:00:00+00', repeat('0', 64), 1, o.id, true
        FROM generate_series(1, @Clocks) g
        CROSS JOIN organizations o
        WHERE o.code = '330799';
        INSERT INTO clocks (petition_id, kind, started_on, due_on, provisional, state, next_check_on)
        SELECT id, 'intake', DATE '2025-01-02', DATE '2025-01-17', false, 'running', DATE '2025-01-14'
        FROM petitions;
        """;

    private const string SqlServerPetitions =
        """
        WITH numbers AS (
            SELECT TOP (@Clocks) ROW_NUMBER() OVER (ORDER BY (SELECT NULL)) AS g
            FROM sys.all_objects a
            CROSS JOIN sys.all_objects b
        )
        INSERT INTO petitions (case_number, bureau_id, bureau_path, channel, category, stage, subject, content, people_count,
                               received_at, registered_at, query_code_hash, workflow_version, handling_org_id, first_petition)
        SELECT 'XF-330799-2025-' + RIGHT('000000' + CAST(n.g AS varchar(6)), 6), o.id, o.path, 'letter', 'complaint', 'registered', N'批量事项', N'批量', 1,
               '2025-01-02T02:00:00+00:00', '2025-01-02T02:00:00+00:00', REPLICATE('0', 64), 1, o.id, 1
        FROM numbers n
        CROSS JOIN organizations o
        WHERE o.code = '330799';
        INSERT INTO clocks (petition_id, kind, started_on, due_on, provisional, state, next_check_on)
        SELECT id, 'intake', '2025-01-02', '2025-01-17', 0, 'running', '2025-01-14'
        FROM petitions;
        """;
}
