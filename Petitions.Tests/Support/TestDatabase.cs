using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Support;

/// <summary>A freshly migrated database of one provider, for one test class.</summary>
public sealed class TestDatabase(StorageProvider provider, string connectionString, Action? cleanUp = null) : IAsyncDisposable
{
    public StorageProvider Provider { get; } = provider;
    public string ConnectionString { get; } = connectionString;

    public Database Open()
    {
        var options = new StorageOptions { Provider = Provider, ConnectionString = ConnectionString };
        QueueWithoutLimit(options);
        return new(Options.Create(options));
    }

    /// <summary>
    /// Tests check what happens, not how fast: work waits for a database slot as long as it takes, however busy the
    /// machine, rather than being refused with a 503 after the service's default wait. The back-pressure test sets its own.
    /// </summary>
    public static void QueueWithoutLimit(StorageOptions options)
    {
        options.WorkQueueLimit = int.MaxValue;
        options.WorkQueueTimeout = Timeout.InfiniteTimeSpan;
    }

    /// <summary>The settings every service a test starts runs with: the work queue as above, and sign-ins without their
    /// per-address limit (tests sign in from one loopback address far more often than people do; the limit's own tests
    /// set it).</summary>
    public static IReadOnlyDictionary<string, string> HostSettings { get; } = new Dictionary<string, string>
    {
        ["Storage:WorkQueueLimit"] = int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Storage:WorkQueueTimeout"] = "-00:00:00.001",
        ["RateLimits:SignInsPerMinute"] = int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static async Task<TestDatabase> SqliteAsync(bool migrate = true)
    {
        var path = Path.Combine(Path.GetTempPath(), $"petitions-test-{Guid.NewGuid():N}.db");
        var database = new TestDatabase(StorageProvider.Sqlite, $"Data Source={path}", () =>
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" }) File.Delete(file);
        });
        if (migrate) await database.MigrateAsync();
        return database;
    }

    public Task<IReadOnlyList<int>> MigrateAsync() =>
        new Migrator(Open(), TimeProvider.System, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);

    /// <summary>Rows in a table, read straight from the database.</summary>
    public async Task<long> CountAsync(string table, string where = "1 = 1", object? parameters = null)
    {
        await using var session = new DbSession(Open());
        return await session.ScalarAsync<long>($"SELECT COUNT(*) FROM {table} WHERE {where}", parameters, CancellationToken.None);
    }

    public async Task<int> ExecuteAsync(string sql, object? parameters = null)
    {
        await using var session = new DbSession(Open());
        return await session.ExecuteAsync(sql, parameters, CancellationToken.None);
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var session = new DbSession(Open());
        return await session.QueryAsync<T>(sql, parameters, CancellationToken.None);
    }

    public ValueTask DisposeAsync()
    {
        cleanUp?.Invoke();
        return ValueTask.CompletedTask;
    }
}
