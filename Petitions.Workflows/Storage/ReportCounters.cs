using System.Data.Common;
using Dapper;

namespace Petitions.Workflows.Storage;

/// <summary>
/// Keeps <c>report_counts</c> equal to the sums of the <c>report_facts</c> view (db/*/0009, docs/decisions/0006), in
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

    private Task<IReadOnlyList<Fact>> FactsAsync(long petitionId, CancellationToken ct) =>
        session.QueryAsync<Fact>(
            """
            SELECT bureau_id   AS BureauId,
                   received_on AS ReceivedOn,
                   unit_id     AS UnitId,
                   metric      AS Metric,
                   value       AS Value,
                   n           AS N,
                   amount      AS Amount
            FROM report_facts
            WHERE petition_id = @PetitionId
            """,
            new { PetitionId = petitionId }, ct);

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
        var parameters = new DynamicParameters();
        var rows = new List<string>(changed.Count);
        foreach (var (i, (key, (n, amount))) in changed.Index())
        {
            rows.Add($"(@B{i}, @D{i}, @U{i}, @M{i}, @V{i}, @N{i}, @A{i})");
            parameters.Add($"B{i}", key.BureauId);
            parameters.Add($"D{i}", key.ReceivedOn);
            parameters.Add($"U{i}", key.UnitId);
            parameters.Add($"M{i}", key.Metric);
            parameters.Add($"V{i}", key.Value);
            parameters.Add($"N{i}", n);
            parameters.Add($"A{i}", amount);
        }
        await session.ExecuteAsync(session.Dialect.AddReportCounts(string.Join(",\n       ", rows)), parameters, ct);
    }
}
