using Microsoft.Data.SqlClient;
using Npgsql;
using Petitions.Testing;
using Petitions.Workflows.Storage;

[assembly: AssemblyFixture(typeof(Petitions.Tests.Support.DatabaseServers))]

namespace Petitions.Tests.Support;

/// <summary>
/// The database servers of this test run. PostgreSQL: the server at <c>PETITIONS_TEST_POSTGRES</c> (a connection
/// string with the right to create databases) when given, else a throwaway cluster this run starts from Debian's
/// binaries. Under <c>CI=true</c> a missing PostgreSQL fails the run. SQL Server runs only when
/// <c>PETITIONS_TEST_SQLSERVER</c> is given, and says so when it is not.
/// </summary>
public sealed class DatabaseServers : IAsyncLifetime
{
    private readonly SemaphoreSlim _templateGate = new(1, 1);
    private TemporaryPostgres? _cluster;
    private string? _postgresAdmin;
    private string? _postgresMissing;
    private bool _templateReady;
    private const string Template = "petitions_template";

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public async ValueTask InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("PETITIONS_TEST_POSTGRES") is { Length: > 0 } external)
        {
            _postgresAdmin = external;
            return;
        }
        var binaries = TemporaryPostgres.FindBinaries();
        if (binaries is null)
        {
            _postgresMissing = "PostgreSQL tests did not run: no server binaries (install Debian's 'postgresql' package) and PETITIONS_TEST_POSTGRES is not set.";
            if (InCi) throw new InvalidOperationException(_postgresMissing + " CI must run them.");
            return;
        }
        // Test classes run in parallel, each database with its own pool (up to 50), and the multi-node tests add three
        // service processes with theirs: 300 connections ran out in a full run ("53300: too many clients").
        _cluster = await TemporaryPostgres.StartAsync(binaries, durable: false, maxConnections: 1000);
        _postgresAdmin = _cluster.ConnectionString("postgres");
    }

    /// <summary>A new database of the provider; migrated unless the test wants to migrate it itself.</summary>
    public Task<TestDatabase> CreateAsync(StorageProvider provider, bool migrated = true) => provider switch
    {
        StorageProvider.Sqlite => TestDatabase.SqliteAsync(migrated),
        StorageProvider.Postgres => PostgresAsync(migrated),
        StorageProvider.SqlServer => SqlServerAsync(migrated),
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    /// <summary>A new database copied from a migrated template: migrating once keeps many test classes cheap.</summary>
    private async Task<TestDatabase> PostgresAsync(bool migrated)
    {
        if (_postgresMissing is not null) Assert.Skip(_postgresMissing);
        await _templateGate.WaitAsync();
        try
        {
            if (!_templateReady)
            {
                await AdminAsync($"DROP DATABASE IF EXISTS {Template}");
                await AdminAsync($"CREATE DATABASE {Template}");
                // No pooling: CREATE DATABASE ... TEMPLATE refuses while anyone is connected to the template.
                var template = new NpgsqlConnectionStringBuilder(_postgresAdmin) { Database = Template, Pooling = false }.ConnectionString;
                await new TestDatabase(StorageProvider.Postgres, template).MigrateAsync();
                _templateReady = true;
            }
            var name = $"t_{Guid.NewGuid():N}";
            await AdminAsync(migrated ? $"CREATE DATABASE {name} TEMPLATE {Template}" : $"CREATE DATABASE {name}");
            // Tests check what happens, not how fast: a statement waits for its locks however busy the machine (200 concurrent
            // registrations queue on one counter row; PostgreSQL itself ends a deadlock), not Npgsql's default 30 s.
            return new TestDatabase(StorageProvider.Postgres, new NpgsqlConnectionStringBuilder(_postgresAdmin) { Database = name, CommandTimeout = 0 }.ConnectionString);
        }
        finally
        {
            _templateGate.Release();
        }
    }

    private static async Task<TestDatabase> SqlServerAsync(bool migrated)
    {
        var server = Environment.GetEnvironmentVariable("PETITIONS_TEST_SQLSERVER");
        if (string.IsNullOrEmpty(server))
            Assert.Skip("SQL Server tests did not run: set PETITIONS_TEST_SQLSERVER to a connection string that may create databases.");
        var name = $"petitions_t_{Guid.NewGuid():N}";
        await using (var connection = new SqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE [{name}]";
            await command.ExecuteNonQueryAsync();
        }
        var database = new TestDatabase(StorageProvider.SqlServer, new SqlConnectionStringBuilder(server) { InitialCatalog = name }.ConnectionString);
        if (migrated) await database.MigrateAsync();
        return database;
    }

    private async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_postgresAdmin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}
