using System.Data.Common;
using Microsoft.Data.SqlClient;

namespace Petitions.Workflows.Storage;

public sealed partial class SqlServerDialect : SqlDialect
{
    public override string Name => "sqlserver";

    public override DbConnection CreateConnection(string connectionString) => new SqlConnection(connectionString);

    public override string InsertReturningId(string insertInto, string values) => $"{insertInto}\nOUTPUT INSERTED.id\n{values}";

    public override string UpdateReturning(string updateSet, string where, string column) => $"{updateSet}\nOUTPUT INSERTED.{column}\n{where}";

    // HOLDLOCK makes the MERGE's read-then-write atomic against concurrent first inserts.
    public override string NextCaseSequence => """
        MERGE case_number_counters WITH (HOLDLOCK) AS counter
        USING (SELECT @BureauId AS bureau_id, @Year AS case_year) AS wanted
            ON counter.bureau_id = wanted.bureau_id AND counter.case_year = wanted.case_year
        WHEN MATCHED THEN
            UPDATE SET last_value = counter.last_value + 1
        WHEN NOT MATCHED THEN
            INSERT (bureau_id, case_year, last_value) VALUES (wanted.bureau_id, wanted.case_year, 1)
        OUTPUT INSERTED.last_value;
        """;

    public override string AddReportCounts(string rows) => $"""
        MERGE report_counts WITH (HOLDLOCK) AS counter
        USING (VALUES {rows}) AS delta (bureau_id, received_on, unit_id, metric, value, n, amount)
            ON counter.bureau_id = delta.bureau_id AND counter.received_on = delta.received_on AND counter.unit_id = delta.unit_id
               AND counter.metric = delta.metric AND counter.value = delta.value
        WHEN MATCHED THEN
            UPDATE SET n = counter.n + delta.n, amount = counter.amount + delta.amount
        WHEN NOT MATCHED THEN
            INSERT (bureau_id, received_on, unit_id, metric, value, n, amount)
            VALUES (delta.bureau_id, delta.received_on, delta.unit_id, delta.metric, delta.value, delta.n, delta.amount);
        """;

    public override string CreateMigrationsTable => """
        IF OBJECT_ID(N'schema_migrations', N'U') IS NULL
        CREATE TABLE schema_migrations (
            version    int               NOT NULL PRIMARY KEY,
            name       nvarchar(200)     NOT NULL,
            applied_at datetimeoffset(3) NOT NULL
        )
        """;

    public override string LockMigrations =>
        "EXEC sp_getapplock @Resource = N'petitions-migrations', @LockMode = N'Exclusive', @LockOwner = N'Transaction'";

    public override int? PoolSize(string connectionString) => new SqlConnectionStringBuilder(connectionString).MaxPoolSize;

    // A command timeout (-2), a lock request timeout (1222), or no pooled connection in time (the driver's own message).
    public override bool IsOverloaded(Exception exception) => exception switch
    {
        SqlException e => e.Number is -2 or 1222,
        InvalidOperationException e => e.Message.Contains("from the pool", StringComparison.Ordinal),
        _ => false,
    };

    public override bool IsUniqueViolation(Exception exception) =>
        exception is SqlException { Number: 2627 or 2601 };

    public override string Concat(string left, string right) => $"{left} + {right}";

    public override (string TableHint, string Suffix) SkipLocked => ("WITH (UPDLOCK, READPAST, ROWLOCK)", "");

    public override string Limit(string orderedQuery, string countParameter) =>
        $"{orderedQuery}\nOFFSET 0 ROWS FETCH NEXT {countParameter} ROWS ONLY";

    // SQL Server compiles a batch before running it: a column added in one batch is usable only in the next.
    public override IReadOnlyList<string> Batches(string script) =>
        BatchSeparator().Split(script).Where(b => !string.IsNullOrWhiteSpace(b)).ToArray();

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*GO\s*$", System.Text.RegularExpressions.RegexOptions.Multiline | System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex BatchSeparator();
}
