using System.Data.Common;

namespace Petitions.Workflows.Storage;

/// <summary>
/// The thin seam between databases: only what really differs (connections, generated keys, the counter upserts,
/// write locking, unique-violation detection, migration locking). Every other statement is shared SQL. The
/// defaults are standard SQL as PostgreSQL and SQLite (3.35+) speak it; SQL Server overrides them.
/// </summary>
public abstract class SqlDialect
{
    /// <summary>The folder of this database's migrations under <c>db/</c>.</summary>
    public abstract string Name { get; }

    public abstract DbConnection CreateConnection(string connectionString);

    /// <summary>The connection pool's size the connection string sets (or the driver's default); null without a pool.</summary>
    public virtual int? PoolSize(string connectionString) => null;

    /// <summary>The connection string the service connects with: the configured one, with this provider's defaults for
    /// what it leaves unset.</summary>
    public virtual string WithDefaults(string connectionString) => connectionString;

    /// <summary>Whether an error says the database can take no more work now (pool empty, too many clients, a lock wait
    /// timed out, busy), rather than that something is wrong: the request is answered 503 and may be retried.</summary>
    public abstract bool IsOverloaded(Exception exception);

    /// <summary>Per-connection settings applied right after opening.</summary>
    public virtual Task OnOpenedAsync(DbConnection connection, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Waits for the right to write, where the database needs the service's help to queue writers.</summary>
    public virtual ValueTask<IDisposable?> EnterWriteAsync(CancellationToken ct) => ValueTask.FromResult<IDisposable?>(null);

    /// <summary>An INSERT of one row that returns its generated <c>id</c>.</summary>
    public virtual string InsertReturningId(string insertInto, string values) => $"{insertInto}\n{values}\nRETURNING id";

    /// <summary>An UPDATE that returns a column of the rows it changed: a query, so the writes held back go with it
    /// (<see cref="DbSession.WriteAsync"/>), where a count of rows would be read from a command of its own.</summary>
    public virtual string UpdateReturning(string updateSet, string where, string column) => $"{updateSet}\n{where}\nRETURNING {column}";

    /// <summary>Takes the next value of a per-bureau, per-year counter; inside the caller's transaction, so a
    /// rollback returns the number and the sequence has no gaps.</summary>
    public virtual string NextCaseSequence => """
        INSERT INTO case_number_counters (bureau_id, case_year, last_value)
        VALUES (@BureauId, @Year, 1)
        ON CONFLICT (bureau_id, case_year) DO UPDATE
            SET last_value = case_number_counters.last_value + 1
        RETURNING last_value
        """;

    /// <summary>Adds to report counters, creating the rows that are missing. <paramref name="rows"/> is a VALUES list of
    /// (bureau_id, received_on, unit_id, metric, value, n, amount), one row per key.</summary>
    public virtual string AddReportCounts(string rows) => $"""
        INSERT INTO report_counts (bureau_id, received_on, unit_id, metric, value, n, amount)
        VALUES {rows}
        ON CONFLICT (bureau_id, received_on, unit_id, metric, value) DO UPDATE
            SET n      = report_counts.n + excluded.n,
                amount = report_counts.amount + excluded.amount
        """;

    /// <summary>Creates the migrations ledger when it is missing.</summary>
    public abstract string CreateMigrationsTable { get; }

    /// <summary>Serializes migrators of several service instances; held until the transaction ends.</summary>
    public abstract string LockMigrations { get; }

    public abstract bool IsUniqueViolation(Exception exception);

    /// <summary>
    /// Claims rows for one worker among several: a table hint after the table name and a clause after the query.
    /// Rows another transaction holds are skipped, not waited for.
    /// </summary>
    public virtual (string TableHint, string Suffix) SkipLocked => ("", "FOR UPDATE SKIP LOCKED");

    /// <summary>
    /// The most parameters one statement built from rows binds (<see cref="DbSession.InsertRowsAsync"/>). SQLite finds
    /// each parameter by name with a linear search, so binding costs the square of their number: a few dozen per
    /// statement cost less than many statements (measured: 1,000 took the sweep 1.8 ms a clock). SQL Server takes at
    /// most 2,100.
    /// </summary>
    public virtual int MaxParameters => 1000;

    /// <summary>
    /// Whether a transaction's writes whose results nothing reads are held back and sent in one command with its next
    /// statement (<see cref="DbSession.WriteAsync"/>): worth it where each command is a round trip to a server. Not on
    /// SQLite (no round trips) nor, until a server proves it, on SQL Server.
    /// </summary>
    public virtual bool BatchesWrites => false;

    /// <summary>
    /// Whether the writes still held at a commit are sent in one command with the <c>COMMIT</c> itself, one round trip
    /// instead of two, where the driver learns from the server's answer that the transaction has ended (Npgsql does).
    /// </summary>
    public virtual bool CommitsWithHeldWrites => false;

    /// <summary>A statement setting what holds for the rest of a transaction, sent with its first statement; none by
    /// default.</summary>
    public virtual string? TransactionSettings => null;

    /// <summary>Two strings joined: <c>||</c> in standard SQL, <c>+</c> on SQL Server.</summary>
    public virtual string Concat(string left, string right) => $"{left} || {right}";

    /// <summary>Keeps the first rows of an ordered query.</summary>
    public virtual string Limit(string orderedQuery, string countParameter) => $"{orderedQuery}\nLIMIT {countParameter}";

    /// <summary>The batches of a migration script, run in order in its transaction.</summary>
    public virtual IReadOnlyList<string> Batches(string script) => [script];
}
