using Dapper;
using Npgsql;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.SqlServer;

/// <summary>
/// The SQL Server migrations, without a server: every batch as the migrator splits it parses for SQL Server 2019 and
/// later, and the schema they build holds every statement of theirs (docs/decisions/0012).
/// </summary>
public sealed class SqlServerMigrationTests(DatabaseServers servers)
{
    [Fact]
    public void Every_migration_batch_parses_for_SQL_Server_2019_and_later()
    {
        var dialect = new SqlServerDialect();
        var failures = new List<string>();
        var batches = 0;
        foreach (var migration in SqlServerSchema.Migrations())
        {
            var split = dialect.Batches(migration.Sql);
            for (var i = 0; i < split.Count; i++, batches++)
            {
                TSql.Parse(split[i], out var errors);
                failures.AddRange(errors.Select(e => $"{migration.Version:D4}_{migration.Name} batch {i + 1}: {e}"));
            }
        }
        Assert.True(batches >= SqlServerSchema.Migrations().Count, "no batches were read");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void The_migrations_build_a_schema_that_holds_every_statement_of_theirs()
    {
        var schema = SqlServerSchema.FromMigrations();
        Assert.True(schema.Problems.Count == 0, string.Join("\n", schema.Problems));
        Assert.Contains("petitions", schema.Tables.Keys);
        Assert.True(schema.Tables["report_facts"].IsView);
    }

    /// <summary>The same tables, views and columns as the migrations of SQLite and PostgreSQL build, read from real
    /// databases migrated by the service's migrator.</summary>
    [Fact]
    public async Task The_schema_has_the_tables_and_columns_SQLite_and_PostgreSQL_have()
    {
        var expected = SqlServerSchema.FromMigrations().Tables.Values
            .SelectMany(t => t.Columns.Keys.Select(c => $"{t.Name}.{c}".ToLowerInvariant()))
            .ToHashSet();
        await using (var sqlite = await servers.CreateAsync(StorageProvider.Sqlite))
        {
            var columns = await sqlite.QueryAsync<string>(
                """
                SELECT m.name || '.' || c.name
                FROM sqlite_master m, pragma_table_info(m.name) c
                WHERE m.type IN ('table', 'view')
                  AND m.name NOT LIKE 'sqlite_%'
                """);
            Same("SQLite", expected, columns);
        }
        await using var postgres = await servers.CreateAsync(StorageProvider.Postgres);
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        var pgColumns = await connection.QueryAsync<string>(
            """
            SELECT table_name || '.' || column_name
            FROM information_schema.columns
            WHERE table_schema = 'public'
            """);
        Same("PostgreSQL", expected, pgColumns);
    }

    private static void Same(string database, HashSet<string> sqlServer, IEnumerable<string> other)
    {
        var theirs = other.Select(c => c.ToLowerInvariant()).ToHashSet();
        var missing = theirs.Except(sqlServer).Order().ToList();
        var extra = sqlServer.Except(theirs).Order().ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"SQL Server's migrations differ from {database}'s.\nOnly on {database}: {string.Join(", ", missing)}\nOnly on SQL Server: {string.Join(", ", extra)}");
    }
}
