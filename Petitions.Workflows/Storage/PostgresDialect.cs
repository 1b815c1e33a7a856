using System.Data.Common;
using Npgsql;

namespace Petitions.Workflows.Storage;

public sealed class PostgresDialect : SqlDialect
{
    public override string Name => "postgres";

    public override DbConnection CreateConnection(string connectionString) => new NpgsqlConnection(connectionString);

    public override string CreateMigrationsTable => """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    integer     NOT NULL PRIMARY KEY,
            name       text        NOT NULL,
            applied_at timestamptz NOT NULL
        )
        """;

    public override string LockMigrations => "SELECT pg_advisory_xact_lock(7411001)";

    public override int? PoolSize(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).MaxPoolSize;

    // A statement run five times on a connection is prepared there: planned once per connection, not on every call.
    // The public lookup's planning cost more than its execution. Behind a pooler in transaction mode, where prepared
    // statements do not survive, the operator sets Max Auto Prepare=0.
    // A connection taken from the pool is not reset: with prepared statements kept, Npgsql's reset is seven statements
    // on the server (RESET ALL, UNLISTEN *, CLOSE ALL, …) before every unit of work, 42 of a lifecycle's 150, for
    // session state this service never sets (no SET, LISTEN, temporary tables or session advisory locks; an open
    // transaction is still rolled back on return).
    public override string WithDefaults(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // Keys holds the keywords set (ContainsKey answers for any keyword Npgsql knows).
        var set = builder.Keys.Cast<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!set.Contains("Max Auto Prepare")) builder.MaxAutoPrepare = 64;
        if (!set.Contains("No Reset On Close")) builder.NoResetOnClose = true;
        // PostgreSQL compiles a statement whose estimated cost passes jit_above_cost to machine code on every run: the
        // staff list's count over 100,000 petitions took 221 ms to compile and 75 ms to run. No statement of ours runs
        // long enough to repay it (docs/decisions/0028). Options of the operator's own keep it off unless they name jit.
        if (builder.Options?.Contains("jit", StringComparison.OrdinalIgnoreCase) != true) builder.Options = $"{builder.Options} -c jit=off".TrimStart();
        return builder.ConnectionString;
    }

    // Pool exhausted or a connection not had in time (a timeout inside), too many clients, a lock or statement timeout.
    public override bool IsOverloaded(Exception exception) => exception switch
    {
        PostgresException e => e.SqlState is PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.QueryCanceled,
        NpgsqlException { InnerException: TimeoutException } => true,
        _ => false,
    };

    public override bool IsUniqueViolation(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    // Npgsql sends a command's statements in one round trip and keeps each prepared on its own (Max Auto Prepare).
    public override bool BatchesWrites => true;

    // Npgsql reads the transaction's end from the server's answer to the COMMIT, so the transaction object then counts
    // as completed: disposing it rolls nothing back.
    public override bool CommitsWithHeldWrites => true;

    // A command's statements find their rows by key, which one plan serves for any values. Left to choose, PostgreSQL
    // planned some prepared statements afresh on every call (a plan's cost stays as it was when last made, while the
    // tables grow), up to 3 ms of the server's CPU a petition. Queries keep the choice. See docs/decisions/0027.
    public override string? TransactionSettings => "SET LOCAL plan_cache_mode = force_generic_plan";
}
