using System.Diagnostics;
using System.Globalization;
using Petitions.Workflows.Features.Administration;
using Petitions.Workflows.Storage;

namespace Petitions.Bench;

/// <summary>
/// A realistic year of petitions at county 330799, written by set-based SQL (SQLite and PostgreSQL) on a database
/// the demo seed prepared: <c>petitions</c> petitions received evenly over the year ending <c>lastDay</c> (Shanghai
/// dates, 08:00–17:59), spread over <c>units</c> handling units. Channels, categories, triage outcomes, handling times
/// (some late, some extended), service, return visits with satisfaction, reviews (upheld, revised, re-handling ordered),
/// re-reviews and supervision orders are drawn from fixed pseudo-random numbers of the petition's number, and each
/// petition is as far along as its dates allow by <c>lastDay</c>: recent ones are still registered or in handling, so
/// clocks run and some are overdue, while a review window that passed unused has made its petition final. Every
/// petition has its petitioner (a phone; one in ten petitions repeats an earlier petitioner's, and is not a first
/// petition), a history entry per step and its clocks; the report counters are recounted at the end. Query codes are
/// not known: every petition carries one placeholder hash (a benchmark that looks cases up sets real ones for the
/// cases it asks for). Petition ids continue after the highest already there. At a million petitions single
/// statements run for minutes: give PostgreSQL a connection string without a command timeout (<c>Command Timeout=0</c>).
/// </summary>
public sealed class Population(int petitions, DateOnly lastDay, int units = 8)
{
    public const string County = SeedDemoData.CountyCode;

    /// <summary>The first day of receipt: the population covers <see cref="FirstDay"/> to the last day, one year.</summary>
    public DateOnly FirstDay => lastDay.AddDays(-364);

    /// <summary>The handling units' codes (the demo's three and more like them).</summary>
    public IReadOnlyList<string> Units => Enumerable.Range(1, units).Select(i => $"{County}-{i:D2}").ToList();

    public async Task SeedAsync(Database database)
    {
        var sql = new Dialect(database.Dialect.Name == "sqlite", FirstDay);
        await using var session = new DbSession(database);
        await session.BeginAsync(CancellationToken.None);
        var watch = Stopwatch.StartNew();
        for (var i = 4; i <= units; i++)
        {
            await session.ExecuteAsync(
                """
                INSERT INTO organizations (parent_id, code, name, kind, path)
                SELECT id, @Code, @Name, 'unit', path || @Code || '/'
                FROM organizations
                WHERE code = @County
                  AND NOT EXISTS (SELECT 1 FROM organizations WHERE code = @Code)
                """,
                new { County, Code = $"{County}-{i:D2}", Name = $"第{i}派出所" }, CancellationToken.None);
        }
        var firstId = await session.ScalarAsync<long>("SELECT COALESCE(MAX(id), 0) FROM petitions", null, CancellationToken.None);
        await PlanAsync(session, sql);
        await InsertPetitionsAsync(session, sql, firstId);
        Step("petitions and petitioners", watch);
        await InsertHistoryAsync(session, sql, firstId);
        Step("history", watch);
        await InsertClocksAsync(session, sql, firstId);
        await InsertOrdersAsync(session, sql, firstId);
        Step("clocks and supervision orders", watch);
        await session.ExecuteAsync("DROP TABLE population_plan", null, CancellationToken.None);
        if (!sql.Sqlite)
            await session.ExecuteAsync("SELECT setval(pg_get_serial_sequence('petitions', 'id'), (SELECT MAX(id) FROM petitions))", null, CancellationToken.None);
        await ReportCounters.RebuildAsync(session, CancellationToken.None);
        Step("report counters", watch);
        await session.CommitAsync(CancellationToken.None);
        // PostgreSQL's autovacuum would analyze the new rows within a minute; a benchmark should not wait for it.
        if (!sql.Sqlite)
            await session.ExecuteAsync("ANALYZE petitions, petition_people, petition_events, clocks, supervision_orders, report_counts", null, CancellationToken.None);
    }

    private static void Step(string what, Stopwatch watch)
    {
        Console.Error.WriteLine($"    {what}: {watch.Elapsed.TotalSeconds:F0} s");
        watch.Restart();
    }

    /// <summary>
    /// One row per petition: its draws and the day number (0 = the first day) of each step it has reached by the last
    /// day, null for a step not reached. A step's day is its predecessor's plus a drawn number of days, so it comes
    /// later: a step is reached when its day has come and its conditions and all its predecessors' hold.
    /// </summary>
    private async Task PlanAsync(DbSession session, Dialect sql)
    {
        var last = lastDay.DayNumber - FirstDay.DayNumber;
        var repeatFrom = petitions - petitions / 10; // petitions after this one repeat an earlier petitioner
        var steps = new (string Day, string After, string Days, string Condition)[]
        {
            ("d_triage", "d_received", "1 + r4 % 17", "1 = 1"),                                       // past 15 days: late
            ("d_approve", "d_triage", "15 + r2 % 55 + extension", "triage_kind = 'accept'"),          // past 60 (+ extension): late
            ("d_served", "d_approve", "1 + r4 % 3", "1 = 1"),
            ("d_visit", "d_served", "1 + r5 % 6", "1 = 1"),
            ("d_review_request", "d_visit", "5 + r6 % 10", "r6 < 60"),
            ("d_finalize", "d_served", "31", "r6 >= 60"),                                              // the window passed unused
            ("d_review_decision", "d_review_request", "10 + r3 % 25", "1 = 1"),                       // past 30: late
            ("d_review_served", "d_review_decision", "2", "review_outcome <> 'order-rehandling'"),
            ("d_rereview_request", "d_review_served", "10", "r3 % 3 = 0"),
            ("d_refinalize", "d_review_served", "31", "r3 % 3 <> 0"),
            ("d_rereview_decision", "d_rereview_request", "20 + r4 % 15", "1 = 1"),
            ("d_rereview_served", "d_rereview_decision", "2", "1 = 1"),
            ("d_order", "d_triage", "40", "triage_kind = 'accept' AND r6 % 50 = 7"),
            ("d_answer", "d_order", "2 + r6 % 8", "1 = 1"),                                            // past 7 days: late
            ("d_close", "d_order", "12", "1 = 1"),
        };
        var candidate = new Dictionary<string, string> { ["d_received"] = "d_received" };
        var condition = new Dictionary<string, string> { ["d_received"] = "1 = 1" };
        foreach (var (day, after, days, when) in steps)
        {
            candidate[day] = $"{candidate[after]} + {days}";
            condition[day] = $"{condition[after]} AND {when}";
        }
        var reached = string.Join(",\n", steps.Select(step =>
            $"CASE WHEN {condition[step.Day]} AND {candidate[step.Day]} <= {last} THEN {candidate[step.Day]} END AS {step.Day}"));
        await session.ExecuteAsync(
            $"""
            CREATE TABLE population_plan AS
            WITH drawn AS (
                SELECT n,
                       (n - 1) * 365 / {petitions}        AS d_received,
                       8 + n % 10                          AS hour,
                       (n * 7919 + 13) % 1000              AS r1,
                       (n * 104729 + 7) % 1000             AS r2,
                       (n * 1299709 + 3) % 1000            AS r3,
                       (n * 15485863 + 11) % 1000          AS r4,
                       (n * 32452843 + 17) % 1000          AS r5,
                       (n * 49979687 + 19) % 1000          AS r6
                FROM ({sql.Series(petitions)}) g
            ),
            drafted AS (
                SELECT drawn.*,
                       CASE WHEN n > {repeatFrom} THEN n - {repeatFrom} ELSE n END AS person,
                       CASE WHEN n > {repeatFrom} THEN 0 ELSE 1 END                AS first_petition,
                       CASE WHEN r1 < 350 THEN 'visit' WHEN r1 < 550 THEN 'letter' WHEN r1 < 700 THEN 'phone'
                            WHEN r1 < 900 THEN 'online' WHEN r1 < 930 THEN 'fax' ELSE 'email' END AS channel,
                       CASE WHEN r2 < 700 THEN 'complaint' WHEN r2 < 900 THEN 'suggestion' ELSE 'accusation' END AS category,
                       -- A repeat of a matter still in hand is marked as a duplicate; most else is accepted.
                       CASE WHEN n > {repeatFrom} AND r3 < 300 THEN 'mark-duplicate'
                            WHEN r3 < 820 THEN 'accept' WHEN r3 < 900 THEN 'decline' WHEN r3 < 950 THEN 'divert'
                            ELSE 'forward' END                                   AS triage_kind,
                       n % {units} + 1                                           AS unit,
                       CASE WHEN r5 < 50 THEN 30 ELSE 0 END                      AS extension,
                       CASE WHEN r5 < 600 THEN 'satisfied' WHEN r5 < 800 THEN 'basically-satisfied'
                            WHEN r5 < 900 THEN 'dissatisfied' ELSE 'no-opinion' END AS satisfaction,
                       CASE WHEN r2 % 10 < 7 THEN 'uphold' WHEN r2 % 10 < 9 THEN 'revise' ELSE 'order-rehandling' END AS review_outcome,
                       CASE WHEN r4 % 10 < 6 THEN 'uphold' ELSE 'revise' END      AS rereview_outcome
                FROM drawn
            ),
            planned AS (
                SELECT drafted.*,
                       {reached}
                FROM drafted
            )
            SELECT planned.*, CASE WHEN d_triage IS NOT NULL THEN triage_kind END AS triage
            FROM planned
            """,
            null, CancellationToken.None);
    }

    private async Task InsertPetitionsAsync(DbSession session, Dialect sql, long firstId)
    {
        var stage = """
            CASE WHEN d_triage IS NULL THEN 'registered'
                 WHEN triage <> 'accept' THEN 'closed'
                 WHEN d_approve IS NULL THEN 'in-handling'
                 WHEN d_served IS NULL THEN 'awaiting-service'
                 WHEN d_visit IS NULL THEN 'return-visit'
                 WHEN d_finalize IS NOT NULL THEN 'final'
                 WHEN d_review_request IS NULL THEN 'closed'
                 WHEN d_review_decision IS NULL THEN 'under-review'
                 WHEN review_outcome = 'order-rehandling' THEN 'in-handling'
                 WHEN d_review_served IS NULL THEN 'awaiting-service'
                 WHEN d_refinalize IS NOT NULL THEN 'final'
                 WHEN d_rereview_request IS NULL THEN 'closed'
                 WHEN d_rereview_decision IS NULL THEN 'under-rereview'
                 WHEN d_rereview_served IS NULL THEN 'awaiting-service'
                 ELSE 'final' END
            """;
        var level = """
            CASE WHEN d_rereview_request IS NOT NULL THEN 'rereview'
                 WHEN d_review_request IS NOT NULL AND (d_review_decision IS NULL OR review_outcome <> 'order-rehandling') THEN 'review'
                 ELSE 'handling' END
            """;
        var receivedAt = sql.Instant("d_received", "hour");
        await session.ExecuteAsync(
            $"""
            INSERT INTO petitions (
                id, case_number, bureau_id, bureau_path, channel, category, stage, subject, content, people_count,
                received_at, registered_at, query_code_hash, workflow_version, review_level, handling_org_id, assigned_unit_id,
                granted_extension_days, served_on, opinion_outcome, opinion_text, satisfaction, first_petition)
            SELECT @FirstId + n,
                   'XF-{County}-' || {sql.Year("d_received")} || '-' || {sql.Digits("@FirstId + n")},
                   b.id, b.path, channel, category, {stage},
                   '批量事项' || (n % 97), '批量生成的信访事项。', 1,
                   {receivedAt}, {receivedAt}, '{new string('0', 64)}', 1, {level},
                   CASE {level} WHEN 'rereview' THEN province.id WHEN 'review' THEN city.id ELSE b.id END,
                   CASE WHEN triage = 'accept' THEN u.id END,
                   CASE WHEN triage = 'accept' THEN extension ELSE 0 END,
                   {sql.Day("d_served")},
                   CASE WHEN d_approve IS NOT NULL THEN 'explain' END,
                   CASE WHEN d_approve IS NOT NULL THEN '经调查，已向信访人解释说明。' END,
                   CASE WHEN d_visit IS NOT NULL THEN satisfaction END,
                   {sql.Flag("first_petition")}
            FROM population_plan
            JOIN organizations b ON b.code = '{County}'
            JOIN organizations city ON city.id = b.parent_id
            JOIN organizations province ON province.id = city.parent_id
            JOIN organizations u ON u.code = '{County}-' || {sql.Digits("unit", 2)}
            """,
            new { FirstId = firstId }, CancellationToken.None);
        await session.ExecuteAsync(
            $"""
            INSERT INTO petition_people (petition_id, ordinal, role, name, phone)
            SELECT @FirstId + n, 0, 'petitioner', '信访人' || person, '139' || {sql.Digits("person", 8)}
            FROM population_plan
            """,
            new { FirstId = firstId }, CancellationToken.None);
    }

    /// <summary>A history entry for every step reached, at 10:00 on its day.</summary>
    private static async Task InsertHistoryAsync(DbSession session, Dialect sql, long firstId)
    {
        var steps = new (string Action, string Day, string Stage, string Comment, string Public)[]
        {
            ("'register'", "d_received", "'registered'", "NULL", "1"),
            ("triage", "d_triage", "CASE WHEN triage = 'accept' THEN 'in-handling' ELSE 'closed' END",
                "CASE WHEN triage = 'divert' THEN 'litigation' END", "1"),
            ("'submit-opinion'", "d_approve", "'opinion-review'", "'explain'", "0"),
            ("'approve-opinion'", "d_approve", "'awaiting-service'", "NULL", "1"),
            ("'record-service'", "d_served", "'return-visit'", "'in-person'", "1"),
            ("'record-return-visit'", "d_visit", "'closed'", "satisfaction", "1"),
            ("'request-review'", "d_review_request", "'under-review'", "NULL", "1"),
            ("'submit-review-opinion'", "d_review_decision", "CASE WHEN review_outcome = 'order-rehandling' THEN 'in-handling' ELSE 'awaiting-service' END",
                "review_outcome", "1"),
            ("'record-service'", "d_review_served", "'closed'", "'in-person'", "1"),
            ("'request-rereview'", "d_rereview_request", "'under-rereview'", "NULL", "1"),
            ("'submit-rereview-opinion'", "d_rereview_decision", "'awaiting-service'", "rereview_outcome", "1"),
            ("'record-service'", "d_rereview_served", "'final'", "'in-person'", "1"),
            ("'finalize'", "d_finalize", "'final'", "NULL", "1"),
            ("'finalize'", "d_refinalize", "'final'", "NULL", "1"),
            ("'supervision-order'", "d_order", "'in-handling'", "'办理进度缓慢'", "0"),
        };
        foreach (var (action, day, stage, comment, isPublic) in steps)
        {
            await session.ExecuteAsync(
                $"""
                INSERT INTO petition_events (petition_id, occurred_at, action, stage, comment, is_public)
                SELECT @FirstId + n, {sql.Instant(day, day == "d_received" ? "hour" : "10")}, {action}, {stage}, {comment}, {sql.Flag(isPublic)}
                FROM population_plan
                WHERE {day} IS NOT NULL
                """,
                new { FirstId = firstId }, CancellationToken.None);
        }
    }

    /// <summary>The clocks each step starts and stops (calendar days; the bench does not roll over rest days).</summary>
    private static async Task InsertClocksAsync(DbSession session, Dialect sql, long firstId)
    {
        var clocks = new (string Kind, string Start, string Days, string Stop, string Extra)[]
        {
            ("intake", "d_received", "15", "d_triage", "0"),
            ("handling", "CASE WHEN triage = 'accept' THEN d_triage END", "60 + extension", "d_approve", "extension"),
            ("return-visit", "d_served", "7", "d_visit", "0"),
            ("review-request", "d_served", "30", "COALESCE(d_review_request, d_finalize)", "0"),
            ("review-decision", "d_review_request", "30", "d_review_decision", "0"),
            ("handling", "CASE WHEN review_outcome = 'order-rehandling' THEN d_review_decision END", "60", "CAST(NULL AS INTEGER)", "0"),
            ("rereview-request", "d_review_served", "30", "COALESCE(d_rereview_request, d_refinalize)", "0"),
            ("rereview-decision", "d_rereview_request", "30", "d_rereview_decision", "0"),
            ("supervision-response", "d_order", "7", "COALESCE(d_answer, d_close)", "0"),
        };
        foreach (var (kind, start, days, stop, extra) in clocks)
        {
            await session.ExecuteAsync(
                $"""
                INSERT INTO clocks (petition_id, kind, started_on, due_on, provisional, state, stopped_on, extra_days, next_check_on)
                SELECT @FirstId + n, '{kind}', {sql.Day(start)}, {sql.Day($"{start} + {days}")}, {sql.Flag("0")},
                       CASE WHEN {stop} IS NULL THEN 'running' ELSE 'stopped' END,
                       {sql.Day(stop)},
                       {extra},
                       CASE WHEN {stop} IS NULL THEN {sql.Day($"{start} + {days} - 3")} END
                FROM population_plan
                WHERE {start} IS NOT NULL
                """,
                new { FirstId = firstId }, CancellationToken.None);
        }
    }

    private static async Task InsertOrdersAsync(DbSession session, Dialect sql, long firstId) =>
        await session.ExecuteAsync(
            $"""
            INSERT INTO supervision_orders (petition_id, issued_by, issued_at, problem, requirement, response_due_on, state,
                                            response, responded_by, responded_at, closed_by, closed_at)
            SELECT @FirstId + n, s.id, {sql.Instant("d_order", "9")}, '办理进度缓慢', '七日内书面报告', {sql.Day("d_order + 7")},
                   CASE WHEN d_close IS NOT NULL THEN 'closed' WHEN d_answer IS NOT NULL THEN 'answered' ELSE 'issued' END,
                   CASE WHEN d_answer IS NOT NULL THEN '已书面报告办理情况。' END,
                   CASE WHEN d_answer IS NOT NULL THEN s.id END,
                   {sql.Instant("d_answer", "9")},
                   CASE WHEN d_close IS NOT NULL THEN s.id END,
                   {sql.Instant("d_close", "9")}
            FROM population_plan
            JOIN users s ON s.user_name = 'supervisor'
            WHERE d_order IS NOT NULL
            """,
            new { FirstId = firstId }, CancellationToken.None);

    /// <summary>What the SQL of the two databases spells differently. Days are numbers from the first day.</summary>
    private sealed class Dialect(bool sqlite, DateOnly firstDay)
    {
        private readonly string _first = firstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        public bool Sqlite => sqlite;

        public string Series(int count) => sqlite
            ? $"WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {count}) SELECT n FROM s"
            : $"SELECT generate_series(1::bigint, {count}) AS n";

        /// <summary>A day number as a date (null stays null).</summary>
        public string Day(string day) => sqlite ? $"date('{_first}', '+' || ({day}) || ' days')" : $"(DATE '{_first}' + CAST(({day}) AS integer))";

        /// <summary>A Shanghai wall-clock hour on a day, as the UTC instant the service stores.</summary>
        public string Instant(string day, string hour) => sqlite
            ? $"(datetime('{_first}', '+' || ({day}) || ' days', '+' || (({hour}) - 8) || ' hours') || '+00:00')"
            : $"(TIMESTAMPTZ '{_first} 00:00:00+08' + make_interval(days => ({day})::int, hours => ({hour})::int))";

        public string Year(string day) => sqlite ? $"substr({Day(day)}, 1, 4)" : $"to_char({Day(day)}, 'YYYY')";

        // At least the width, as printf's: PostgreSQL's lpad cuts a longer text to the width (the millionth petition's number
        // became the hundred-thousandth's, a duplicate once both fell in one year).
        public string Digits(string number, int width = 6) =>
            sqlite ? $"printf('%0{width}d', {number})" : $"lpad(({number})::text, GREATEST({width}, length(({number})::text)), '0')";

        public string Flag(string zeroOrOne) => sqlite ? zeroOrOne : $"(({zeroOrOne}) = 1)";
    }
}
