using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Caching.Memory;
using Petitions.Domain;

namespace Petitions.Workflows.Storage;

/// <summary>
/// Keeps <c>report_counts</c> equal to the sums of the <c>report_facts</c> view (db/*/0015, docs/decisions/0006), in
/// the transaction of every change. A petition's facts are read before its first change in the transaction and again
/// just before the commit; the difference goes into the counters in one statement. A petition's facts change only
/// together with its row's version, so what was read before the change is what the counters hold. The statement's rows
/// are in key order: transactions sharing counter rows lock them in the same order, and do so last, so they wait for
/// each other briefly instead of deadlocking. The facts a petition had before the change are taken from
/// <see cref="CommittedFacts"/> when this instance committed the version just loaded.
/// </summary>
public sealed class ReportCounters(DbSession session, CommittedFacts committed)
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

    /// <summary>The petition's facts before the transaction first changes it, at <paramref name="version"/>, the
    /// version the change was loaded at (it writes only if the row still has it).</summary>
    public async Task BeforeChangeAsync(long petitionId, int version, CancellationToken ct)
    {
        Join();
        if (_before.ContainsKey(petitionId)) return;
        _before[petitionId] = committed.TryGet(petitionId, version, out var facts) ? facts : (await FactsAsync(petitionId, ct)).Facts;
    }

    /// <summary>A petition this transaction inserted: it had no facts before.</summary>
    public void Inserted(long petitionId)
    {
        Join();
        _before.TryAdd(petitionId, []);
    }

    /// <summary>Recounts everything from the facts, for rows written without the service (bulk loads).</summary>
    public static async Task RebuildAsync(DbSession session, CancellationToken ct)
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
        public int Version { get; init; }
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

    /// <summary>A row of a petition's history, clocks or supervision orders, as the one read returns them (see
    /// <see cref="FactsAsync"/>): an event's action and comment, a clock's kind and state, an order's state.</summary>
    private sealed record PartRow
    {
        public int Part { get; init; }
        public string Code { get; init; } = "";
        public string? Detail { get; init; }
        public long? OrganizationId { get; init; }
        public DateOnly? StartedOn { get; init; }
        public DateOnly? DueOn { get; init; }
        public DateOnly? StoppedOn { get; init; }
        public int ExtraDays { get; init; }
    }

    private const int EventPart = 1, ClockPart = 2, OrderPart = 3;

    private sealed record EventRow(string Action, string? Comment, long? OrganizationId);

    private sealed record ClockRow(string Kind, string State, DateOnly StartedOn, DateOnly DueOn, DateOnly? StoppedOn, int ExtraDays, long? OrganizationId);

    private static readonly string[] TriageActions = ["accept", "decline", "divert", "forward", "refer", "mark-duplicate", "object-to-referral"];
    private static readonly string[] RequestWindows = ["review-request", "rereview-request"];

    /// <summary>
    /// A petition's facts, as the view defines them, from one statement: the petition's row beside each row of its
    /// history, clocks and supervision orders. Reading the view itself for one petition cost ~1 ms of CPU on SQLite
    /// (compiling its twenty branches every time) and ~3 ms of planning on PostgreSQL; this read costs ~0.1 ms, one
    /// statement where there were four. The recount test holds the two definitions equal. The history is read whole
    /// and its actions picked here: with the view's list of actions in the statement, PostgreSQL planned it afresh on
    /// most calls.
    /// </summary>
    private async Task<(int Version, IReadOnlyList<Fact> Facts)> FactsAsync(long petitionId, CancellationToken ct)
    {
        var rows = await session.QueryAsync<PetitionRow, PartRow?, (PetitionRow Petition, PartRow? Part)>(
            """
            SELECT p.version                     AS Version,
                   p.bureau_id                   AS BureauId,
                   COALESCE(p.assigned_unit_id, 0) AS UnitId,
                   p.received_at                 AS ReceivedAt,
                   p.channel                     AS Channel,
                   p.category                    AS Category,
                   p.stage                       AS Stage,
                   p.first_petition              AS FirstPetition,
                   p.satisfaction                AS Satisfaction,
                   p.served_on                   AS ServedOn,
                   p.reception_leader_id         AS ReceptionLeaderId,
                   r.part                        AS Part,
                   r.code                        AS Code,
                   r.detail                      AS Detail,
                   r.organization_id             AS OrganizationId,
                   r.started_on                  AS StartedOn,
                   r.due_on                      AS DueOn,
                   r.stopped_on                  AS StoppedOn,
                   r.extra_days                  AS ExtraDays
            FROM petitions p
            LEFT JOIN (
                SELECT 1 AS part, id, action AS code, comment AS detail, organization_id,
                       NULL AS started_on, NULL AS due_on, NULL AS stopped_on, 0 AS extra_days
                FROM petition_events
                WHERE petition_id = @PetitionId
                UNION ALL
                SELECT 2, id, kind, state, organization_id, started_on, due_on, stopped_on, extra_days
                FROM clocks
                WHERE petition_id = @PetitionId
                UNION ALL
                SELECT 3, id, state, NULL, NULL, NULL, NULL, NULL, 0
                FROM supervision_orders
                WHERE petition_id = @PetitionId
            ) r ON 1 = 1
            WHERE p.id = @PetitionId
            ORDER BY r.part, r.id
            """,
            new { PetitionId = petitionId },
            (petition, part) => (petition, part),
            splitOn: "Part",
            ct);
        var petition = rows.Count > 0 ? rows[0].Petition : throw new InvalidOperationException($"Petition {petitionId} is missing.");
        var parts = rows.Select(r => r.Part).OfType<PartRow>().ToList();
        var events = parts.Where(r => r.Part == EventPart).Select(r => new EventRow(r.Code, r.Detail, r.OrganizationId)).ToList();
        var clocks = parts.Where(r => r.Part == ClockPart)
            .Select(r => new ClockRow(r.Code, r.Detail!, r.StartedOn!.Value, r.DueOn!.Value, r.StoppedOn, r.ExtraDays, r.OrganizationId)).ToList();
        var orders = parts.Where(r => r.Part == OrderPart).Select(r => r.Code).ToList();
        return (petition.Version, Facts(petition, events, clocks, orders).ToList());
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
            var (version, after) = await FactsAsync(petitionId, ct);
            foreach (var fact in after) Add(fact, +1);
            // Read after the transaction's last change, under its lock of the petition's row: what commits.
            session.AfterCommit(() => committed.Keep(petitionId, version, after));
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
        await session.WriteAsync(session.Dialect.AddReportCounts(rows), parameters, ct);
    }
}

/// <summary>
/// The report facts of petitions as this instance last committed them, by petition and row version, so that the next
/// change of a petition here need not read them before it (a statement of each action). A petition's facts change only
/// with its version, and every version is committed once, so facts kept for the version an action loaded are the
/// facts it replaces; a petition changed meanwhile by another instance (or the sweep) has moved on to another version
/// and is read. The most recently used <see cref="Capacity"/> petitions are kept.
/// </summary>
public sealed class CommittedFacts : IDisposable
{
    public const int Capacity = 20_000;

    private readonly MemoryCache _entries = new(new MemoryCacheOptions { SizeLimit = Capacity });

    private sealed record Entry(int Version, IReadOnlyList<ReportCounters.Fact> Facts);

    public bool TryGet(long petitionId, int version, out IReadOnlyList<ReportCounters.Fact> facts)
    {
        var found = _entries.TryGetValue(petitionId, out Entry? entry) && entry!.Version == version;
        facts = found ? entry!.Facts : [];
        return found;
    }

    public void Keep(long petitionId, int version, IReadOnlyList<ReportCounters.Fact> facts) =>
        _entries.Set(petitionId, new Entry(version, facts), new MemoryCacheEntryOptions { Size = 1 });

    public void Dispose() => _entries.Dispose();
}
