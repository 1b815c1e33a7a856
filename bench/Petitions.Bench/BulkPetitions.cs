using Petitions.Workflows.Storage;

namespace Petitions.Bench;

/// <summary>
/// Large populations written by set-based SQL in one transaction, for the suites that need a database of years'
/// size: a million rows take seconds this way, where registering them would take many minutes.
/// </summary>
internal static class BulkPetitions
{
    /// <summary>Petitions received 2026-01-05 by letter in the demo county, each with its public 'register' history
    /// entry; the county's 2026 case counter continues after them. Ids run from 1 on a fresh database.</summary>
    public static async Task PetitionsAsync(Database database, int count)
    {
        var sqlite = database.Dialect.Name == "sqlite";
        var caseNumber = sqlite ? "'XF-330799-2026-' || printf('%06d', n)" : "'XF-330799-2026-' || lpad(n::text, greatest(6, length(n::text)), '0')";
        var instant = sqlite ? "'2026-01-05 02:00:00+00:00'" : "TIMESTAMPTZ '2026-01-05 02:00:00+00'";
        var yes = sqlite ? "1" : "true";
        await using var session = new DbSession(database);
        await session.BeginAsync(CancellationToken.None);
        await session.ExecuteAsync(
            $"""
            WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < {count})
            INSERT INTO petitions (case_number, bureau_id, bureau_path, channel, category, stage, subject, content, people_count,
                                   received_at, registered_at, query_code_hash, workflow_version, handling_org_id, first_petition)
            SELECT {caseNumber}, o.id, o.path, 'letter', 'complaint', 'registered', '批量事项', '批量', 1,
                   {instant}, {instant}, '{new string('0', 64)}', 1, o.id, {yes}
            FROM g CROSS JOIN organizations o
            WHERE o.code = '330799'
            """,
            null, CancellationToken.None);
        await session.ExecuteAsync(
            $"""
            INSERT INTO petition_events (petition_id, occurred_at, action, stage, is_public)
            SELECT id, received_at, 'register', 'registered', {yes}
            FROM petitions
            """,
            null, CancellationToken.None);
        await session.ExecuteAsync(
            """
            INSERT INTO case_number_counters (bureau_id, case_year, last_value)
            SELECT id, 2026, @Count
            FROM organizations
            WHERE code = '330799'
            """,
            new { Count = count }, CancellationToken.None);
        await session.CommitAsync(CancellationToken.None);
    }

    /// <summary>A running intake clock for every petition: those with ids up to <paramref name="due"/> fell due in
    /// January 2026 (the sweep turns them red); the others are next checked in 2099.</summary>
    public static async Task IntakeClocksAsync(Database database, int due)
    {
        var sqlite = database.Dialect.Name == "sqlite";
        var date = (string d) => sqlite ? $"'{d}'" : $"DATE '{d}'";
        await using var session = new DbSession(database);
        await session.BeginAsync(CancellationToken.None);
        await session.ExecuteAsync(
            $"""
            INSERT INTO clocks (petition_id, kind, started_on, due_on, provisional, state, next_check_on)
            SELECT id, 'intake', {date("2026-01-05")},
                   CASE WHEN id <= @Due THEN {date("2026-01-20")} ELSE {date("2099-12-31")} END,
                   {(sqlite ? "0" : "false")}, 'running',
                   CASE WHEN id <= @Due THEN {date("2026-01-17")} ELSE {date("2099-12-28")} END
            FROM petitions
            """,
            new { Due = due }, CancellationToken.None);
        await session.CommitAsync(CancellationToken.None);
    }
}
