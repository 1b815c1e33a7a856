using System.Data.Common;
using System.Globalization;
using Dapper;
using Petitions.Domain;

namespace Petitions.Workflows.Storage;

/// <summary>
/// Keeps <c>report_counts</c> equal to the sums of the <c>report_facts</c> view (db/*/0015, docs/decisions/0006), in
/// the transaction of every change. A petition's facts are read before its first change in the transaction and again
/// just before the commit; the difference goes into the counters in one statement. A petition's facts change only
/// together with its row's version, so what was read before the change is what the counters hold. The statement's rows
/// are in key order: transactions sharing counter rows lock them in the same order, and do so last, so they wait for
/// each other briefly instead of deadlocking.
/// </summary>
public sealed class ReportCounters(DbSession session)
{
    private readonly Dictionary<long, IReadOnlyList<Fact>> _before = [];
    private DbTransaction? _transaction;

    /// <summary>One fact of a petition: a metric and value, counted <see cref="N"/> times with an amount of days.</summary>
    public sealed record Fact
    {
        public long BureauId { get; init; }
        public DateOnly ReceivedOn { get; init; }
        public long UnitId { get; init; }
        public string Metric { get; init; } = "";
        public string Value { get; init; } = "";
        public long N { get; init; }
        public long Amount { get; init; }
    }

    private readonly record struct Key(long BureauId, DateOnly ReceivedOn, long UnitId, string Metric, string Value);

    /// <summary>Reads the petition's facts before the transaction first changes it.</summary>
    public async Task BeforeChangeAsync(long petitionId, CancellationToken ct)
    {
        Join();
        if (!_before.ContainsKey(petitionId)) _before[petitionId] = await FactsAsync(petitionId, ct);
    }

    /// <summary>A petition this transaction inserted: it had no facts before.</summary>
    public void Inserted(long petitionId)
    {
        Join();
        _before.TryAdd(petitionId, []);
    }

    /// <summary>Recounts everything from the facts, for rows written without the service (bulk loads).</summary>
    public async Task RebuildAsync(CancellationToken ct)
    {
        await session.ExecuteAsync("DELETE FROM report_counts", null, ct);
        await session.ExecuteAsync(
            """
            INSERT INTO report_counts (bureau_id, received_on, unit_id, metric, value, n, amount)
            SELECT bureau_id, received_on, unit_id, metric, value, SUM(n), SUM(amount)
            FROM report_facts
            GROUP BY bureau_id, received_on, unit_id, metric, value
            """,
            null, ct);
    }

    private void Join()
    {
        var transaction = session.Transaction ?? throw new InvalidOperationException("Report counters change only inside a transaction.");
        if (ReferenceEquals(transaction, _transaction)) return;
        _transaction = transaction;
        _before.Clear();
        session.BeforeCommit(FlushAsync);
    }

    private sealed record PetitionRow
    {
        public long BureauId { get; init; }
        public long UnitId { get; init; }
        public DateTimeOffset ReceivedAt { get; init; }
        public string Channel { get; init; } = "";
        public string Category { get; init; } = "";
        public string Stage { get; init; } = "";
        public bool FirstPetition { get; init; }
        public string? Satisfaction { get; init; }
        public DateOnly? ServedOn { get; init; }
        public long? ReceptionLeaderId { get; init; }
    }

    private sealed record EventRow
    {
        public string Action { get; init; } = "";
        public string? Comment { get; init; }
        public long? OrganizationId { get; init; }
    }

    private sealed record ClockRow
    {
        public string Kind { get; init; } = "";
        public string State { get; init; } = "";
        public DateOnly StartedOn { get; init; }
        public DateOnly DueOn { get; init; }
        public DateOnly? StoppedOn { get; init; }
        public int ExtraDays { get; init; }
        public long? OrganizationId { get; init; }
    }

    private static readonly string[] TriageActions = ["accept", "decline", "divert", "forward", "refer", "mark-duplicate", "object-to-referral"];
    private static readonly string[] RequestWindows = ["review-request", "rereview-request"];

    /// <summary>
    /// A petition's facts, as the view defines them, from four small reads in one round trip. Reading the view itself
    /// for one petition cost ~1 ms of CPU on SQLite (compiling its twenty branches every time) and ~3 ms of planning on
    /// PostgreSQL; these reads cost ~0.1 ms. The recount test holds the two definitions equal. The history is read
    /// whole and its actions picked here: with the view's list of actions in the statement, PostgreSQL planned it
    /// afresh on most calls (1.3 ms of the server's CPU a lifecycle, 0.45 ms without the list).
    /// </summary>
    private async Task<IReadOnlyList<Fact>> FactsAsync(long petitionId, CancellationToken ct)
    {
        using var reads = await session.QueryMultipleAsync(
            """
            SELECT bureau_id                       AS BureauId,
                   COALESCE(assigned_unit_id, 0)   AS UnitId,
                   received_at                     AS ReceivedAt,
                   channel                         AS Channel,
                   category                        AS Category,
                   stage                           AS Stage,
                   first_petition                  AS FirstPetition,
                   satisfaction                    AS Satisfaction,
                   served_on                       AS ServedOn,
                   reception_leader_id             AS ReceptionLeaderId
            FROM petitions
            WHERE id = @PetitionId;
            SELECT action          AS Action,
                   comment         AS Comment,
                   organization_id AS OrganizationId
            FROM petition_events
            WHERE petition_id = @PetitionId
            ORDER BY id;
            SELECT kind            AS Kind,
                   state           AS State,
                   started_on      AS StartedOn,
                   due_on          AS DueOn,
                   stopped_on      AS StoppedOn,
                   extra_days      AS ExtraDays,
                   organization_id AS OrganizationId
            FROM clocks
            WHERE petition_id = @PetitionId;
            SELECT state
            FROM supervision_orders
            WHERE petition_id = @PetitionId;
            """,
            new { PetitionId = petitionId }, ct);
        var petition = await reads.ReadSingleAsync<PetitionRow>();
        var events = (await reads.ReadAsync<EventRow>()).AsList();
        var clocks = (await reads.ReadAsync<ClockRow>()).AsList();
        var orders = (await reads.ReadAsync<string>()).AsList();
        return Facts(petition, events, clocks, orders).ToList();
    }

    /// <summary>The <c>report_facts</c> view of db/*/0015, written again for one petition.</summary>
    private static IEnumerable<Fact> Facts(PetitionRow p, List<EventRow> events, List<ClockRow> clocks, List<string> orders)
    {
        var receivedOn = ShanghaiTime.DateOf(p.ReceivedAt);
        // A review's decision and clock count at the organ that decides it, without a unit of its own.
        Fact Fact(string metric, string value = "", long amount = 0, long? organizationId = null) =>
            new()
            {
                BureauId = organizationId ?? p.BureauId,
                ReceivedOn = receivedOn,
                UnitId = organizationId is { } organ && organ != p.BureauId ? 0 : p.UnitId,
                Metric = metric,
                Value = value,
                N = 1,
                Amount = amount,
            };
        var triage = p.Stage == "registered" ? null : events.LastOrDefault(e => TriageActions.Contains(e.Action))?.Action;
        var reviewed = events.Any(e => e.Action == "request-review");

        yield return Fact("received");
        yield return Fact("channel", p.Channel);
        yield return Fact("category", p.Category);
        yield return Fact("stage", p.Stage);
        if (triage is not null) yield return Fact("triage", triage);
        yield return Fact(p.FirstPetition ? "first" : "repeat");
        if (p.FirstPetition && triage == "accept")
        {
            yield return Fact("first-accepted");
            if (p.Stage is "closed" or "final" && !reviewed) yield return Fact("first-resolved");
        }
        if (p.Satisfaction is not null) yield return Fact("satisfaction", p.Satisfaction);
        if (p.ReceptionLeaderId is not null) yield return Fact("leader-reception");
        if (p.ServedOn is not null) yield return Fact("replied");
        if (reviewed) yield return Fact("reviewed");
        if (events.Any(e => e.Action == "request-rereview")) yield return Fact("rereviewed");
        foreach (var e in events.Where(e => e.Action == "submit-review-opinion"))
            yield return Fact("review-outcome", e.Comment is "uphold" or "revise" or "order-rehandling" ? e.Comment : "other", organizationId: e.OrganizationId);
        foreach (var e in events.Where(e => e.Action == "submit-rereview-opinion"))
            yield return Fact("rereview-outcome", e.Comment is "uphold" or "revise" ? e.Comment : "other", organizationId: e.OrganizationId);
        foreach (var c in clocks)
        {
            if (c.Kind == "handling" && c.ExtraDays > 0) yield return Fact("extended", amount: c.ExtraDays, organizationId: c.OrganizationId);
            if (RequestWindows.Contains(c.Kind)) continue;
            if (c.State == "stopped" && c.StoppedOn is { } stopped)
            {
                yield return Fact("clock-completed", c.Kind, stopped.DayNumber - c.StartedOn.DayNumber, c.OrganizationId);
                yield return Fact(stopped <= c.DueOn ? "clock-on-time" : "clock-late", c.Kind, organizationId: c.OrganizationId);
            }
            if (c.State is "running" or "overdue")
                yield return Fact("due:" + c.Kind, c.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), organizationId: c.OrganizationId);
        }
        foreach (var state in orders) yield return Fact("order", state == "closed" ? "closed" : "open");
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        var deltas = new Dictionary<Key, (long N, long Amount)>();
        void Add(Fact fact, int sign)
        {
            var key = new Key(fact.BureauId, fact.ReceivedOn, fact.UnitId, fact.Metric, fact.Value);
            var (n, amount) = deltas.GetValueOrDefault(key);
            deltas[key] = (n + sign * fact.N, amount + sign * fact.Amount);
        }
        foreach (var (petitionId, before) in _before)
        {
            foreach (var fact in before) Add(fact, -1);
            foreach (var fact in await FactsAsync(petitionId, ct)) Add(fact, +1);
        }
        _before.Clear();

        var changed = deltas
            .Where(d => d.Value != (0, 0))
            .OrderBy(d => d.Key.BureauId).ThenBy(d => d.Key.ReceivedOn).ThenBy(d => d.Key.UnitId)
            .ThenBy(d => d.Key.Metric, StringComparer.Ordinal).ThenBy(d => d.Key.Value, StringComparer.Ordinal)
            .ToList();
        if (changed.Count == 0) return;
        var (rows, parameters) = SqlValues.Of(
            changed.Select(d => new object?[] { d.Key.BureauId, d.Key.ReceivedOn, d.Key.UnitId, d.Key.Metric, d.Key.Value, d.Value.N, d.Value.Amount }).ToList());
        await session.ExecuteAsync(session.Dialect.AddReportCounts(rows), parameters, ct);
    }
}
