using Petitions.Workflows.Storage;

namespace Petitions.Tests.SqlServer;

/// <summary>The statement check refuses what SQL Server would: each broken statement here names its fault.</summary>
public sealed class StatementCheckerTests
{
    private static readonly SqlServerSchema Schema = SqlServerSchema.FromMigrations();

    private static List<string> Problems(string sql, object? parameters, bool inTransaction = true)
    {
        var script = TSql.Parse(sql, out var errors);
        if (script is null) return errors.ToList();
        var checker = new StatementChecker(Schema.ColumnsOf, StatementRecorder.BoundNames(parameters), inTransaction);
        checker.Check(script);
        return checker.Problems;
    }

    [Fact]
    public void A_well_formed_claim_passes() =>
        Assert.Empty(Problems(
            """
            SELECT id
            FROM outbox WITH (UPDLOCK, READPAST, ROWLOCK)
            WHERE sent_at IS NULL
            ORDER BY id
            OFFSET 0 ROWS FETCH NEXT @BatchSize ROWS ONLY
            """,
            new { BatchSize = 10 }));

    [Theory]
    [InlineData("SELECT case_numbr FROM petitions WHERE id = @Id", "no column case_numbr")]
    [InlineData("SELECT p.case_numbr FROM petitions p WHERE p.id = @Id", "petitions has no column case_numbr")]
    [InlineData("SELECT id FROM petition WHERE id = @Id", "no table or view petition")]
    [InlineData("SELECT id FROM petitions WHERE id = @Idd", "parameter @Idd is not bound")]
    [InlineData("SELECT id FROM petitions ORDER BY id LIMIT @Id", "level 150, line 1, column 38: Expected OFFSET")]
    [InlineData("SELECT id FROM outbox WITH (UPDLOCK READPAST ROWLOCK) WHERE id = @Id", "separated by spaces")]
    [InlineData("SELECT id FROM outbox WITH (UPDLOCK, READPAST) WHERE id = @Id", "exactly UPDLOCK, READPAST, ROWLOCK")]
    [InlineData("SELECT id FROM (SELECT id FROM petitions ORDER BY id) t WHERE id = @Id", "The ORDER BY clause")]
    [InlineData("INSERT INTO outbox (created_at, kind) VALUES (@Id)", "names 2 columns but a row has 1 values")]
    [InlineData("UPDATE clocks SET due = @Id", "clocks has no column due")]
    public void A_broken_statement_is_refused(string sql, string problem) =>
        Assert.Contains(Problems(sql, new { Id = 1 }), p => p.Contains(problem, StringComparison.Ordinal));

    [Fact]
    public void A_claim_outside_a_transaction_is_refused() =>
        Assert.Contains(Problems("SELECT id FROM outbox WITH (UPDLOCK, READPAST, ROWLOCK)", null, inTransaction: false), p => p.Contains("outside a transaction", StringComparison.Ordinal));

    [Fact]
    public void A_merge_without_its_semicolon_or_its_range_lock_is_refused()
    {
        var merge = new SqlServerDialect().NextCaseSequence;
        Assert.Empty(Problems(merge, new { BureauId = 1, Year = 2026 }));
        Assert.Contains(Problems(merge.TrimEnd().TrimEnd(';'), new { BureauId = 1, Year = 2026 }), p => p.Contains("A MERGE statement must be terminated by a semi-colon", StringComparison.Ordinal));
        Assert.Contains(Problems(merge.Replace(" WITH (HOLDLOCK)", "", StringComparison.Ordinal), new { BureauId = 1, Year = 2026 }), p => p.Contains("HOLDLOCK", StringComparison.Ordinal));
    }

    [Fact]
    public void A_column_added_in_the_same_batch_is_not_there_for_its_DML()
    {
        var schema = SqlServerSchema.FromMigrations();
        schema.Apply("test batch", "ALTER TABLE clocks ADD snoozed bit NULL;\nUPDATE clocks SET snoozed = 0;");
        Assert.Contains(schema.Problems, p => p.Contains("clocks has no column snoozed", StringComparison.Ordinal));
    }

    [Fact]
    public void An_index_on_a_max_column_is_refused()
    {
        var schema = SqlServerSchema.FromMigrations();
        schema.Apply("test batch", "CREATE INDEX ix_petitions_content ON petitions (content);");
        Assert.Contains(schema.Problems, p => p.Contains("(max) column", StringComparison.Ordinal));
    }
}
