using System.Diagnostics;
using Petitions.Domain;
using Petitions.Workflows.Storage;

namespace Petitions.Bench;

/// <summary>
/// The raw storage floors the figures are set against, measured in the same run on the same database: what the
/// database alone takes for the rows a figure reads or writes, with no HTTP, no pipeline and no domain code.
/// </summary>
internal static class Floors
{
    /// <summary>
    /// The rows an escalation of every due clock writes (warning, supervision item, history entry, one notification,
    /// audit entry, petition version, clock state), by one set-based statement each in one transaction, rolled back so
    /// the clocks stay due for the sweep that is measured after it.
    /// </summary>
    public static async Task<TimeSpan> EscalationAsync(Database database)
    {
        var parameters = new { Today = ShanghaiTime.DateOf(DateTimeOffset.UtcNow), Now = DateTimeOffset.UtcNow, IsPublic = false };
        const string Due = "FROM clocks c JOIN petitions p ON p.id = c.petition_id WHERE c.next_check_on <= @Today";
        await using var session = new DbSession(database);
        var watch = Stopwatch.StartNew();
        await session.BeginAsync(CancellationToken.None);
        foreach (var statement in new[]
        {
            $"INSERT INTO clock_warnings (clock_id, level, warned_at) SELECT c.id, 'overdue', @Now {Due}",
            $"INSERT INTO supervision_items (petition_id, clock_id, opened_at, state) SELECT c.petition_id, c.id, @Now, 'open' {Due}",
            $"""
            INSERT INTO petition_events (petition_id, occurred_at, action, stage, actor_user_id, actor_organization_id, comment, is_public)
            SELECT c.petition_id, @Now, 'overdue', p.stage, NULL, NULL, c.kind, @IsPublic {Due}
            """,
            $"INSERT INTO outbox (created_at, kind, petition_id, recipient_org_id, details) SELECT @Now, 'overdue', c.petition_id, p.handling_org_id, '{{}}' {Due}",
            $"INSERT INTO audit_log (occurred_at, action, case_number, outcome) SELECT @Now, 'EscalateClock', p.case_number, 'ok' {Due}",
            "UPDATE petitions SET version = version + 1 WHERE id IN (SELECT petition_id FROM clocks WHERE next_check_on <= @Today)",
            "UPDATE clocks SET state = 'overdue', warned = 'overdue', next_check_on = NULL WHERE next_check_on <= @Today",
        })
            await session.ExecuteAsync(statement, parameters, CancellationToken.None);
        var elapsed = watch.Elapsed;
        await session.RollbackAsync();
        return elapsed;
    }

    /// <summary>One indexed read of a petition row by its case number per call, each a session from the pool, one caller
    /// at a time: the least a lookup can cost.</summary>
    public static Task<Load.Result> PetitionReadAsync(Database database, IReadOnlyList<string> caseNumbers, TimeSpan duration) =>
        Load.RunAsync(1, duration, async n =>
        {
            await using var session = new DbSession(database);
            await session.ScalarAsync<string>(
                "SELECT stage FROM petitions WHERE case_number = @CaseNumber", new { CaseNumber = caseNumbers[n % caseNumbers.Count] }, CancellationToken.None);
        });

    /// <summary>The report counters of a period summed per (metric, value) in one statement, best of five after one
    /// to warm the cache: the main read of a report summary, over the whole table.</summary>
    public static async Task<TimeSpan> CounterSumAsync(Database database, DateOnly from, DateOnly to)
    {
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < 6; i++)
        {
            await using var session = new DbSession(database);
            var watch = Stopwatch.StartNew();
            await session.QueryAsync<dynamic>(
                """
                SELECT metric, value, SUM(n), SUM(amount)
                FROM report_counts
                WHERE received_on >= @From
                  AND received_on <= @To
                GROUP BY metric, value
                """,
                new { From = from, To = to }, CancellationToken.None);
            if (i > 0) best = TimeSpan.FromTicks(Math.Min(best.Ticks, watch.Elapsed.Ticks));
        }
        return best;
    }
}
