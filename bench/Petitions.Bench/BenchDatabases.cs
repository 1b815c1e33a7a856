using Microsoft.Data.Sqlite;
using Npgsql;
using Petitions.Testing;
using Petitions.Workflows.Storage;

namespace Petitions.Bench;

/// <summary>
/// Fresh, empty databases for the suites: SQLite files in one temporary folder, and databases on one temporary
/// PostgreSQL server that runs with its default fsync and synchronous commit, as a deployment would. Everything is
/// deleted on dispose.
/// </summary>
internal sealed class BenchDatabases : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("petitions-bench-").FullName;
    private TemporaryPostgres? _postgres;
    private int _created;

    public async Task<string> NewAsync(StorageProvider provider)
    {
        var name = $"bench_{++_created}";
        if (provider == StorageProvider.Sqlite) return $"Data Source={Path.Combine(_folder, name + ".db")}";
        if (provider != StorageProvider.Postgres) throw new NotSupportedException($"No benchmark databases for {provider}.");

        _postgres ??= await TemporaryPostgres.StartAsync(
            TemporaryPostgres.FindBinaries() ?? throw new InvalidOperationException("PostgreSQL binaries not found (Debian package 'postgresql')."),
            durable: true, countStatements: true);
        await using var admin = new NpgsqlConnection(_postgres.ConnectionString("postgres"));
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
        await create.ExecuteNonQueryAsync();
        return _postgres.ConnectionString(name);
    }

    /// <summary>The CPU time the PostgreSQL server has used so far; zero before it starts (and for SQLite, which runs
    /// inside the process that uses it).</summary>
    public TimeSpan ServerCpu() => _postgres?.CpuTime() ?? TimeSpan.Zero;

    /// <summary>The statements the PostgreSQL server has run for its clients so far; null for SQLite.</summary>
    public async Task<long?> ServerStatementsAsync() => _postgres is null ? null : await _postgres.StatementsAsync();

    /// <summary>The connection string for seeding and set-based floors: on PostgreSQL without Npgsql's 30-second command
    /// timeout, which a million rows on a busy machine outlast.</summary>
    public static string WithoutCommandTimeout(StorageProvider provider, string connectionString) =>
        provider == StorageProvider.Postgres ? new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ConnectionString : connectionString;

    /// <summary>The bytes a database takes: the SQLite file after a checkpoint moved the WAL into it, or PostgreSQL's
    /// <c>pg_database_size</c>.</summary>
    public static async Task<long> SizeAsync(StorageProvider provider, string connectionString)
    {
        if (provider == StorageProvider.Sqlite)
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync();
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            await checkpoint.ExecuteNonQueryAsync();
            return new FileInfo(new SqliteConnectionStringBuilder(connectionString).DataSource).Length;
        }
        await using var postgres = new NpgsqlConnection(connectionString);
        await postgres.OpenAsync();
        await using var size = new NpgsqlCommand("SELECT pg_database_size(current_database())", postgres);
        return (long)(await size.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        if (_postgres is not null) await _postgres.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
