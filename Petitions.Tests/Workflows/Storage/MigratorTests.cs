using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Workflows.Storage;

public abstract class MigratorTests(StorageProvider provider, DatabaseServers servers) : IAsyncLifetime
{
    public sealed class OnSqlite(DatabaseServers servers) : MigratorTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : MigratorTests(StorageProvider.Postgres, servers);
    public sealed class OnSqlServer(DatabaseServers servers) : MigratorTests(StorageProvider.SqlServer, servers);

    private TestDatabase _empty = null!;

    public async ValueTask InitializeAsync() => _empty = await servers.CreateAsync(provider, migrated: false);

    public ValueTask DisposeAsync() => _empty?.DisposeAsync() ?? ValueTask.CompletedTask;

    private Migrator NewMigrator() => new(_empty.Open(), TimeProvider.System, NullLogger<Migrator>.Instance);

    [Fact]
    public async Task Applies_every_migration_once_and_records_it()
    {
        var migrator = NewMigrator();

        var first = await migrator.MigrateAsync(TestContext.Current.CancellationToken);
        var second = await migrator.MigrateAsync(TestContext.Current.CancellationToken);

        Assert.Equal(migrator.Migrations.Select(m => m.Version), first);
        Assert.Empty(second);
        Assert.Equal(migrator.Migrations.Count, await _empty.CountAsync("schema_migrations"));
    }

    [Fact]
    public async Task Instances_starting_together_apply_each_migration_exactly_once()
    {
        var applied = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => NewMigrator().MigrateAsync(TestContext.Current.CancellationToken))));

        var versions = applied.SelectMany(a => a).Order().ToArray();
        Assert.Equal(NewMigrator().Migrations.Select(m => m.Version), versions);
    }
}

public sealed class MigrationSetTests
{
    [Fact]
    public void Every_database_has_the_same_numbered_migrations()
    {
        var sets = new[] { StorageProvider.Sqlite, StorageProvider.Postgres, StorageProvider.SqlServer }
            .Select(p => new TestDatabase(p, "Data Source=unused"))
            .Select(db => string.Join(",", new Migrator(db.Open(), TimeProvider.System, NullLogger<Migrator>.Instance).Migrations.Select(m => $"{m.Version}_{m.Name}")))
            .Distinct();

        Assert.Single(sets);
    }
}

public sealed class SqliteSettingsTests
{
    [Fact]
    public async Task The_embedded_database_runs_in_WAL_mode()
    {
        await using var database = await TestDatabase.SqliteAsync();

        var mode = Assert.Single(await database.QueryAsync<string>("PRAGMA journal_mode"));

        Assert.Equal("wal", mode);
    }
}

public sealed class PostgresSettingsTests(DatabaseServers servers)
{
    [Fact]
    public async Task A_statement_run_often_is_prepared_on_its_connection_unless_the_connection_string_says_otherwise()
    {
        await using var database = await servers.CreateAsync(StorageProvider.Postgres);

        Assert.Equal(1, await PreparedAfterSixRunsAsync(database.Open()));
        Assert.Equal(0, await PreparedAfterSixRunsAsync(new TestDatabase(StorageProvider.Postgres, database.ConnectionString + ";Max Auto Prepare=0").Open()));
    }

    [Fact]
    public async Task A_connection_taken_from_the_pool_again_is_not_reset_unless_the_connection_string_says_so()
    {
        await using var database = await servers.CreateAsync(StorageProvider.Postgres);
        var onePooledConnection = new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = 1 }.ConnectionString;

        // The reset is seven statements on the server before every unit of work; nothing of ours sets session state.
        Assert.Equal("kept", await SettingOnReuseAsync(new TestDatabase(StorageProvider.Postgres, onePooledConnection).Open()));
        Assert.Equal("", await SettingOnReuseAsync(new TestDatabase(StorageProvider.Postgres, onePooledConnection + ";No Reset On Close=false").Open()));
    }

    [Fact]
    public async Task No_statement_is_compiled_to_machine_code_unless_the_connection_string_asks_for_it()
    {
        await using var database = await servers.CreateAsync(StorageProvider.Postgres);
        TestDatabase With(string options) => new(StorageProvider.Postgres, database.ConnectionString + $";Options={options}");

        // A count over ten million rows costs more than jit_above_cost: PostgreSQL would compile it first.
        Assert.DoesNotContain("JIT", await PlanOfACostlyCountAsync(database.Open()));
        Assert.Contains("JIT", await PlanOfACostlyCountAsync(With("-c jit=on").Open()));
        // The operator's other options are kept, and JIT stays off beside them.
        var own = With("-c application_name=county-petitions").Open();
        Assert.DoesNotContain("JIT", await PlanOfACostlyCountAsync(own));
        await using var session = new DbSession(own);
        Assert.Equal("county-petitions", await session.ScalarAsync<string>("SELECT current_setting('application_name')", null, TestContext.Current.CancellationToken));
    }

    private static async Task<string> PlanOfACostlyCountAsync(Database database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = new DbSession(database);
        return string.Join("\n", await session.QueryAsync<string>("EXPLAIN SELECT COUNT(*) FROM generate_series(1, 10000000) AS costly", null, ct));
    }

    [Fact]
    public async Task A_command_plans_each_statement_once_for_all_values_while_a_query_keeps_the_choice()
    {
        await using var database = await servers.CreateAsync(StorageProvider.Postgres);
        var ct = TestContext.Current.CancellationToken;
        await using var session = new DbSession(database.Open());

        await session.BeginAsync(ct);
        var inCommand = await PlansAsync(session, "in_command");
        await session.CommitAsync(ct);
        var inQuery = await PlansAsync(session, "in_query");

        // A command's prepared statement is never planned for one call's values; once its transaction ends, the same
        // connection plans a new statement for its first calls' values again (PostgreSQL's five custom plans).
        Assert.Equal(0, inCommand.Custom);
        Assert.True(inCommand.Generic > 0, $"generic plans in a command: {inCommand.Generic}");
        Assert.True(inQuery.Custom > 0, $"custom plans in a query: {inQuery.Custom}");
    }

    private sealed record Plans
    {
        public long Generic { get; init; }
        public long Custom { get; init; }
    }

    /// <summary>How a statement on a table, run ten times with other values, was planned on the session's connection:
    /// plans made for any values (generic) and for one call's values (custom).</summary>
    private static async Task<Plans> PlansAsync(DbSession session, string name)
    {
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < 10; i++) await session.ScalarAsync<long>($"SELECT COUNT(*) AS {name} FROM petitions WHERE id = @Id", new { Id = (long)i }, ct);
        return (await session.QuerySingleOrDefaultAsync<Plans>(
            "SELECT generic_plans AS Generic, custom_plans AS Custom FROM pg_prepared_statements WHERE statement LIKE @Pattern",
            new { Pattern = $"%AS {name} FROM%" }, ct))!;
    }

    /// <summary>A session setting made by one unit of work, as the next one on the same pooled connection sees it.</summary>
    private static async Task<string> SettingOnReuseAsync(Database database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var first = new DbSession(database)) await first.ScalarAsync<string>("SELECT set_config('petitions.probe', 'kept', false)", null, ct);
        await using var next = new DbSession(database);
        return await next.ScalarAsync<string>("SELECT COALESCE(current_setting('petitions.probe', true), '')", null, ct) ?? "";
    }

    private static async Task<long> PreparedAfterSixRunsAsync(Database database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = new DbSession(database);
        for (var i = 0; i < 6; i++) await session.ScalarAsync<int>("SELECT @I AS repeated", new { I = i }, ct);
        return await session.ScalarAsync<long>("SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE '%AS repeated'", null, ct);
    }
}
