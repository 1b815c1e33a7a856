using System.Diagnostics;
using Npgsql;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Workflows.Storage;

/// <summary>
/// Writes whose results nothing reads are held back inside a transaction on PostgreSQL and sent in one round trip with
/// the next query or before the commit (<see cref="DbSession.WriteAsync"/>); elsewhere they run at once.
/// </summary>
public abstract class PendingWritesTests(StorageProvider provider, DatabaseServers servers) : IAsyncLifetime
{
    public sealed class OnSqlite(DatabaseServers servers) : PendingWritesTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : PendingWritesTests(StorageProvider.Postgres, servers);

    private const string Insert = "INSERT INTO probe (id, note, day) VALUES (@Id, @Note, @Day)";
    private TestDatabase _database = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await servers.CreateAsync(provider, migrated: false);
        await _database.ExecuteAsync("CREATE TABLE probe (id INTEGER PRIMARY KEY, note VARCHAR(40), day DATE)");
    }

    public ValueTask DisposeAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;

    [Fact]
    public async Task The_next_query_sees_the_writes_before_it_and_on_PostgreSQL_they_go_with_it_in_one_round_trip()
    {
        await using var session = new DbSession(_database.Open());
        await session.BeginAsync(Ct);
        IReadOnlyList<(long Id, string? Note)> seen;
        using (var trips = new RoundTrips())
        {
            // Two writes binding the same names to different values, a null and a date among them.
            await session.WriteAsync(Insert, new { Id = 1, Note = "first", Day = new DateOnly(2026, 12, 31) }, Ct);
            await session.WriteAsync(Insert, new { Id = 2, Note = (string?)null, Day = (DateOnly?)null }, Ct);
            await session.WriteAsync("UPDATE probe SET note = @Note WHERE id = @Id", new { Id = 1, Note = "changed" }, Ct);
            seen = await session.QueryAsync<(long Id, string? Note)>("SELECT id, note FROM probe WHERE id <= @Id ORDER BY id", new { Id = 2 }, Ct);
            if (provider == StorageProvider.Postgres) Assert.Equal(1, trips.Count);
        }
        await session.CommitAsync(Ct);

        Assert.Equal([(1L, "changed"), (2L, null)], seen);
        Assert.Equal(1, await _database.CountAsync("probe", "day = @Day", new { Day = new DateOnly(2026, 12, 31) }));
    }

    [Fact]
    public async Task Every_kind_of_query_finds_its_rows_past_the_writes_sent_with_it()
    {
        await using var session = new DbSession(_database.Open());
        await session.BeginAsync(Ct);

        await session.WriteAsync(Insert, new { Id = 1, Note = "one", Day = (DateOnly?)null }, Ct);
        var scalar = await session.ScalarAsync<long>("SELECT COUNT(*) FROM probe", null, Ct);
        await session.WriteAsync(Insert, new { Id = 2, Note = "two", Day = (DateOnly?)null }, Ct);
        var single = await session.QuerySingleOrDefaultAsync<string>("SELECT note FROM probe WHERE id = @Id", new { Id = 2 }, Ct);
        await session.WriteAsync(Insert, new { Id = 3, Note = "three", Day = (DateOnly?)null }, Ct);
        var pairs = await session.QueryAsync<long, string, (long, string)>(
            "SELECT CAST(a.id AS BIGINT) AS id, b.note FROM probe a JOIN probe b ON b.id = a.id ORDER BY a.id", null, (id, note) => (id, note), "note", Ct);
        await session.CommitAsync(Ct);

        Assert.Equal(1, scalar);
        Assert.Equal("two", single);
        Assert.Equal([(1L, "one"), (2L, "two"), (3L, "three")], pairs);
    }

    [Fact]
    public async Task Writes_still_held_at_the_commit_are_sent_before_it()
    {
        await using (var session = new DbSession(_database.Open()))
        {
            await session.BeginAsync(Ct);
            await session.WriteAsync(Insert, new[] { new { Id = 1, Note = "a", Day = (DateOnly?)null }, new { Id = 2, Note = "b", Day = (DateOnly?)null } }, Ct);
            await session.CommitAsync(Ct);
        }

        Assert.Equal(2, await _database.CountAsync("probe"));
    }

    [Fact]
    public async Task A_held_write_that_fails_fails_where_it_is_sent_and_nothing_of_the_transaction_commits()
    {
        await _database.ExecuteAsync("INSERT INTO probe (id, note) VALUES (1, 'there')");
        await using var session = new DbSession(_database.Open());
        await session.BeginAsync(Ct);
        await session.WriteAsync(Insert, new { Id = 2, Note = "new", Day = (DateOnly?)null }, Ct);

        var failure = await Record.ExceptionAsync(async () =>
        {
            await session.WriteAsync(Insert, new { Id = 1, Note = "duplicate", Day = (DateOnly?)null }, Ct);
            await session.CommitAsync(Ct);
        });
        await session.RollbackAsync();

        Assert.True(_database.Open().Dialect.IsUniqueViolation(failure!), failure?.ToString());
        Assert.Equal(1, await _database.CountAsync("probe"));
    }

    [Fact]
    public async Task A_count_the_caller_reads_is_its_own_statement_s_alone()
    {
        await using var session = new DbSession(_database.Open());
        await session.BeginAsync(Ct);
        await session.WriteAsync(Insert, new { Id = 1, Note = "a", Day = (DateOnly?)null }, Ct);
        await session.WriteAsync(Insert, new { Id = 2, Note = "b", Day = (DateOnly?)null }, Ct);

        var changed = await session.ExecuteAsync("UPDATE probe SET note = 'c' WHERE id = @Id", new { Id = 2 }, Ct);
        await session.CommitAsync(Ct);

        Assert.Equal(1, changed);
    }

    [Fact]
    public async Task A_write_binds_its_values_from_an_object_from_DynamicParameters_or_from_a_dictionary()
    {
        var dynamic = new Dapper.DynamicParameters();
        dynamic.Add("Id", 2);
        dynamic.Add("Note", "dynamic");
        dynamic.Add("Day", null);
        await using (var session = new DbSession(_database.Open()))
        {
            await session.BeginAsync(Ct);
            await session.WriteAsync(Insert, new { Id = 1, Note = "object", Day = (DateOnly?)null }, Ct);
            await session.WriteAsync(Insert, dynamic, Ct);
            await session.WriteAsync(Insert, new Dictionary<string, object?> { ["Id"] = 3, ["Note"] = "dictionary", ["Day"] = null }, Ct);
            await session.CommitAsync(Ct);
        }

        Assert.Equal(["object", "dynamic", "dictionary"], await _database.QueryAsync<string>("SELECT note FROM probe ORDER BY id"));
    }

    [Fact]
    public async Task Outside_a_transaction_a_write_runs_at_once()
    {
        await using var session = new DbSession(_database.Open());

        await session.WriteAsync(Insert, new { Id = 1, Note = "a", Day = (DateOnly?)null }, Ct);

        Assert.Equal(1, await _database.CountAsync("probe"));
    }

    [Fact]
    public async Task A_rolled_back_transaction_leaves_nothing_held_for_the_next()
    {
        await using var session = new DbSession(_database.Open());
        await session.BeginAsync(Ct);
        await session.WriteAsync(Insert, new { Id = 1, Note = "dropped", Day = (DateOnly?)null }, Ct);
        await session.RollbackAsync();

        await session.BeginAsync(Ct);
        await session.WriteAsync(Insert, new { Id = 2, Note = "kept", Day = (DateOnly?)null }, Ct);
        await session.CommitAsync(Ct);

        Assert.Equal(["kept"], await _database.QueryAsync<string>("SELECT note FROM probe"));
    }

    [Fact]
    public async Task Writes_held_beyond_the_parameters_one_command_may_bind_are_sent_in_several()
    {
        var database = _database.Open();
        var rows = database.Dialect.MaxParameters; // three parameters each: three commands' worth
        await using (var session = new DbSession(database))
        {
            await session.BeginAsync(Ct);
            for (var id = 1; id <= rows; id++) await session.WriteAsync(Insert, new { Id = id, Note = "n", Day = (DateOnly?)null }, Ct);
            Assert.Equal(rows, await session.ScalarAsync<long>("SELECT COUNT(*) FROM probe", null, Ct));
            await session.CommitAsync(Ct);
        }

        Assert.Equal(rows, await _database.CountAsync("probe"));
    }

    /// <summary>The commands this test's own code sends to PostgreSQL (Npgsql starts one activity per round trip).</summary>
    private sealed class RoundTrips : IDisposable
    {
        private readonly Activity _parent = new Activity(nameof(RoundTrips)).Start();
        private readonly ActivityListener _listener;
        private int _count;

        public RoundTrips()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Npgsql",
                Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                    options.Parent.TraceId == _parent.TraceId ? ActivitySamplingResult.AllData : ActivitySamplingResult.None,
                ActivityStarted = _ => Interlocked.Increment(ref _count),
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public int Count => _count;

        public void Dispose()
        {
            _listener.Dispose();
            _parent.Stop();
        }
    }
}

/// <summary>On PostgreSQL the writes still held at a commit are sent with the COMMIT, in one round trip.</summary>
public sealed class PendingWritesCommitTests(DatabaseServers servers) : IAsyncLifetime
{
    private const string Insert = "INSERT INTO probe (id, note) VALUES (@Id, @Note)";
    private TestDatabase _database = null!;
    private PostgresRelay _relay = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await servers.CreateAsync(StorageProvider.Postgres, migrated: false);
        // A note's uniqueness is checked at the commit, so that a commit can be refused.
        await _database.ExecuteAsync("CREATE TABLE probe (id INTEGER PRIMARY KEY, note VARCHAR(40), CONSTRAINT one_note UNIQUE (note) DEFERRABLE INITIALLY DEFERRED)");
        _relay = new PostgresRelay(_database.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        if (_relay is not null) await _relay.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    [Fact]
    public async Task Writes_held_at_the_commit_and_the_commit_are_one_round_trip()
    {
        await using var session = new DbSession(new TestDatabase(StorageProvider.Postgres, _relay.ConnectionString).Open());
        await session.BeginAsync(Ct);
        await session.WriteAsync(Insert, new { Id = 1, Note = "a" }, Ct);
        await session.WriteAsync(Insert, new { Id = 2, Note = (string?)null }, Ct);
        await session.ScalarAsync<long>("SELECT COUNT(*) FROM probe", null, Ct); // the connection is open: only the commit is counted
        await session.WriteAsync(Insert, new { Id = 3, Note = "c" }, Ct);

        var before = _relay.RoundTrips;
        await session.CommitAsync(Ct);

        Assert.Equal(1, _relay.RoundTrips - before);
        Assert.Equal(3, await _database.CountAsync("probe"));
        Assert.False(session.InTransaction);
    }

    [Fact]
    public async Task A_commit_the_server_refuses_keeps_nothing_and_the_session_works_on()
    {
        await using var session = new DbSession(new TestDatabase(StorageProvider.Postgres, _relay.ConnectionString).Open());
        await session.BeginAsync(Ct);
        await session.WriteAsync(Insert, new { Id = 1, Note = "same" }, Ct);
        await session.WriteAsync(Insert, new { Id = 2, Note = "same" }, Ct);

        var refused = await Record.ExceptionAsync(() => session.CommitAsync(Ct));
        await session.RollbackAsync();

        Assert.True(new PostgresDialect().IsUniqueViolation(refused!), refused?.ToString());
        Assert.Equal(0, await _database.CountAsync("probe"));
        await session.BeginAsync(Ct);
        await session.WriteAsync(Insert, new { Id = 3, Note = "other" }, Ct);
        await session.CommitAsync(Ct);
        Assert.Equal(["other"], await _database.QueryAsync<string>("SELECT note FROM probe"));
    }
}

/// <summary>PostgreSQL still prepares each write held back on its own, whatever the command it was sent in.</summary>
public sealed class PendingWritesPreparedTests(DatabaseServers servers)
{
    [Fact]
    public async Task A_write_held_back_is_prepared_once_however_it_was_batched()
    {
        await using var database = await servers.CreateAsync(StorageProvider.Postgres, migrated: false);
        var onOneConnection = await OneConnectionAsync(database, "CREATE TABLE probe (id INTEGER PRIMARY KEY, note VARCHAR(40))");
        var ct = TestContext.Current.CancellationToken;

        for (var i = 0; i < 8; i++)
        {
            await using var session = new DbSession(onOneConnection);
            await session.BeginAsync(ct);
            // First, second or third in its command: the statement the server prepares is the same.
            for (var j = 0; j <= i % 3; j++)
                await session.WriteAsync("INSERT INTO probe (id, note) VALUES (@Id, @Note) /* held */", new { Id = i * 10 + j, Note = "n" }, ct);
            await session.ScalarAsync<long>("SELECT COUNT(*) FROM probe", null, ct);
            await session.CommitAsync(ct);
        }

        await using var check = new DbSession(onOneConnection);
        Assert.Equal(1, await check.ScalarAsync<long>("SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE '%/* held */%'", null, ct));
    }

    /// <summary>Npgsql runs a prepared statement unprepared, parsed and planned afresh, when a parameter's type differs
    /// from the one it was prepared with; a null must be sent as the type its values are.</summary>
    [Fact]
    public async Task A_statement_stays_prepared_when_its_values_turn_null_held_back_or_not()
    {
        await using var database = await servers.CreateAsync(StorageProvider.Postgres, migrated: false);
        var onOneConnection = await OneConnectionAsync(database, "CREATE TABLE probe (id INTEGER PRIMARY KEY, note VARCHAR(40), day DATE, at TIMESTAMPTZ, n BIGINT)");
        var ct = TestContext.Current.CancellationToken;

        async Task RunAsync(int id, bool nulls)
        {
            await using var session = new DbSession(onOneConnection);
            var values = new
            {
                Id = id,
                Note = nulls ? null : "n",
                Day = nulls ? null : (DateOnly?)new DateOnly(2026, 12, 3),
                At = nulls ? null : (DateTimeOffset?)DateTimeOffset.UnixEpoch,
                N = nulls ? null : (long?)1,
            };
            await session.ExecuteAsync("INSERT INTO probe (id, note, day, at, n) VALUES (@Id, @Note, @Day, @At, @N) /* direct */", values, ct);
            await session.BeginAsync(ct);
            await session.WriteAsync("UPDATE probe SET note = @Note, day = @Day, at = @At, n = @N WHERE id = @Id /* held */", values, ct);
            await session.ScalarAsync<long>("SELECT COUNT(*) FROM probe", null, ct);
            await session.CommitAsync(ct);
        }
        async Task<long> PreparedRunsAsync(string mark)
        {
            await using var check = new DbSession(onOneConnection);
            return await check.ScalarAsync<long>(
                $"SELECT COALESCE(SUM(generic_plans + custom_plans), 0) FROM pg_prepared_statements WHERE statement LIKE '%/* {mark} */%'", null, ct);
        }

        for (var i = 0; i < 10; i++) await RunAsync(i, nulls: false);
        var (direct, held) = (await PreparedRunsAsync("direct"), await PreparedRunsAsync("held"));
        for (var i = 10; i < 20; i++) await RunAsync(i, nulls: true);

        Assert.Equal(direct + 10, await PreparedRunsAsync("direct"));
        Assert.Equal(held + 10, await PreparedRunsAsync("held"));
    }

    /// <summary>The database with its probe table, reached through a pool of one connection, so that what the server
    /// prepared on it can be counted.</summary>
    private static async Task<Database> OneConnectionAsync(TestDatabase database, string createTable)
    {
        await database.ExecuteAsync(createTable);
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = 1 };
        return new TestDatabase(StorageProvider.Postgres, builder.ConnectionString).Open();
    }
}
