using Petitions.Domain;
using Petitions.Tests.Support;
using Petitions.Workflows.Features.Reports;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Workflows.Reports;

/// <summary>
/// On SQLite the summary's days, units and overdue reads go through the partial indexes of db/sqlite/0023, for a
/// county, a unit and a city alike. SQLite plans without statistics here, so the plan does not depend on how many
/// rows the test has; it stops holding when a filter is rewritten so that it no longer implies an index's.
/// </summary>
public sealed class ReportSummaryPlanTests(DatabaseServers servers)
{
    private static readonly Organization County = new(3, 2, "330799", "County bureau", "county", "/330000/330700/330799/");
    private static readonly Organization Unit = new(4, 3, "330799-01", "Unit", "unit", "/330000/330700/330799/330799-01/");
    private static readonly Organization City = new(2, 1, "330700", "City bureau", "city", "/330000/330700/");

    public static TheoryData<string> Organizations => ["county", "unit", "city"];

    [Theory]
    [MemberData(nameof(Organizations))]
    public async Task The_days_units_and_overdue_reads_use_their_partial_indexes(string organization)
    {
        await using var database = await servers.CreateAsync(StorageProvider.Sqlite);
        await using var session = new DbSession(database.Open());
        var scope = new ReportScope(
            organization switch { "county" => County, "unit" => Unit, _ => City },
            new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31));

        Assert.Contains("USING COVERING INDEX ix_report_counts_received ", await PlanAsync(session, scope, ReportSummary.Reads.Days(scope)));
        Assert.Contains("USING COVERING INDEX ix_report_counts_received ", await PlanAsync(session, scope, ReportSummary.Reads.Units(scope)));
        Assert.Contains("USING COVERING INDEX ix_report_counts_due ", await PlanAsync(session, scope, ReportSummary.Reads.Overdue(scope)));
    }

    private sealed record Step
    {
        public string Detail { get; init; } = "";
    }

    private static async Task<string> PlanAsync(DbSession session, ReportScope scope, string sql) =>
        string.Join("; ", (await session.QueryAsync<Step>(
            "EXPLAIN QUERY PLAN " + sql, scope.Parameters(new DateOnly(2026, 12, 4)), TestContext.Current.CancellationToken)).Select(s => s.Detail));
}
