using System.Globalization;
using System.Text.Json;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Pipeline;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Deadlines;

/// <summary>
/// Escalates clocks whose next warning is due: amber when near due; red when past due, which also opens a supervision
/// item and writes an 'overdue' history entry. The unit and the deciding office are notified through the outbox. Clocks
/// are claimed with row locks that other instances skip (with their petitions, so no action changes one meanwhile), each
/// is judged by its own rules (<see cref="Clock.WarningDue"/>, <see cref="Clock.Warn"/>), and the (clock, level) key
/// makes each warning happen exactly once. <see cref="Due"/> escalates a batch in one transaction with a few set-based
/// statements (the sweep's way, docs/decisions/0018); <see cref="Command"/> escalates one clock (a scheduler firing
/// per deadline).
/// </summary>
public static class EscalateClock
{
    /// <summary>Escalates one clock, if it is still due.</summary>
    public sealed record Command(long ClockId) : ICommand<string>
    {
        public Actor Actor => Actor.Public;
        string? ICommandRequest.AuditCaseNumber => null;
    }

    /// <summary>Claims up to <paramref name="Limit"/> due clocks, oldest check day first, and escalates them together.</summary>
    public sealed record Due(int Limit) : ICommand<Batch>
    {
        public Actor Actor => Actor.Public;
        string? ICommandRequest.AuditCaseNumber => null;
    }

    /// <summary>What a batch did: how many clocks it claimed, the warnings it gave, the clocks it only rescheduled, and
    /// the petitions it warned (the audit log gets an entry for each).</summary>
    public sealed record Batch(int Claimed, int NearDue, int Overdue, int Skipped, IReadOnlyCollection<long> PetitionIds) : IActsOnCases;

    /// <summary>What the command did: a warning level's code, or that there was nothing (left) to do.</summary>
    public const string Skipped = "skipped";

    public sealed class Handler(DbSession session, DeadlineRules rules, TimeProvider time)
        : IRequestHandler<Command, string>, IRequestHandler<Due, Batch>
    {
        public async Task<string> Handle(Command command, CancellationToken ct)
        {
            var batch = await EscalateAsync("c.id = @ClockId", null, new { command.ClockId }, ct);
            return batch.NearDue > 0 ? Codes.Of(WarningLevel.NearDue) : batch.Overdue > 0 ? Codes.Of(WarningLevel.Overdue) : Skipped;
        }

        public Task<Batch> Handle(Due command, CancellationToken ct) => EscalateAsync("1 = 1", "@Limit", new { command.Limit }, ct);

        /// <summary>The petition of a claimed clock: what the warning writes and whom it notifies.</summary>
        private sealed record ClaimedPetition
        {
            public long PetitionId { get; init; }
            public string CaseNumber { get; init; } = "";
            public string Stage { get; init; } = "";
            public long HandlingOrgId { get; init; }
            public long? AssignedUnitId { get; init; }
            public long? PolicyId { get; init; }
        }

        private async Task<Batch> EscalateAsync(string which, string? limit, object parameters, CancellationToken ct)
        {
            var now = time.GetUtcNow();
            var today = ShanghaiTime.DateOf(now);
            var (hint, suffix) = session.Dialect.SkipLocked;
            var query = $"""
                SELECT p.id               AS PetitionId,
                       p.case_number      AS CaseNumber,
                       p.stage            AS Stage,
                       p.handling_org_id  AS HandlingOrgId,
                       p.assigned_unit_id AS AssignedUnitId,
                       p.policy_id        AS PolicyId,
                       {ClockRow.Columns}
                FROM clocks c {hint}
                JOIN petitions p {hint} ON p.id = c.petition_id
                WHERE c.next_check_on <= @Today
                  AND {which}
                ORDER BY c.next_check_on, c.id
                """;
            var all = new Dapper.DynamicParameters(parameters);
            all.Add("Today", today);
            var claimed = await session.QueryAsync<ClaimedPetition, ClockRow, (ClaimedPetition Petition, Clock Clock)>(
                (limit is null ? query : session.Dialect.Limit(query, limit)) + $"\n{suffix}", all, (p, c) => (p, c.ToClock()), "ClockId", ct);

            var changes = new List<(ClaimedPetition Row, Clock Clock, WarningLevel? Level)>(claimed.Count);
            foreach (var (row, clock) in claimed)
            {
                var policy = await rules.ByIdAsync(row.PolicyId, ct);
                var level = clock.WarningDue(today, policy);
                if (level is { } due) clock.Warn(due, policy);
                else clock.Reschedule(policy); // its check day was stale (a clock from before the sweep existed)
                changes.Add((row, clock, level));
            }
            if (changes.Count == 0) return new Batch(0, 0, 0, 0, []);

            // The clocks, in one statement per outcome (a batch falling due together shares its next check day).
            foreach (var group in changes.GroupBy(c => (c.Clock.State, c.Clock.Warned, c.Clock.NextCheckOn)))
                await session.ExecuteAsync(
                    $"""
                    UPDATE clocks
                    SET state         = @State,
                        warned        = @Warned,
                        next_check_on = @NextCheckOn
                    WHERE id IN ({SqlValues.Ids(group.Select(c => c.Clock.Id!.Value))})
                    """,
                    new
                    {
                        State = Codes.Of(group.Key.State),
                        Warned = group.Key.Warned is { } level ? Codes.Of(level) : null,
                        group.Key.NextCheckOn,
                    },
                    ct);
            // A new version, as any change of the petition's state: an action that loaded it before is refused as a
            // conflict rather than writing its stale clocks over these. (Report facts do not depend on warnings.)
            await session.ExecuteAsync(
                $"""
                UPDATE petitions
                SET version = version + 1
                WHERE id IN ({SqlValues.Ids(changes.Select(c => c.Row.PetitionId).Distinct())})
                """,
                null, ct);

            // What each warning writes, set-based by level: the warning, and for red the supervision item and the history
            // entry, read from the clock rows just claimed.
            var warned = changes.Where(c => c.Level is not null).ToList();
            foreach (var level in warned.GroupBy(c => c.Level!.Value))
            {
                var ids = SqlValues.Ids(level.Select(c => c.Clock.Id!.Value));
                var values = new { Level = Codes.Of(level.Key), Now = now, IsPublic = false };
                await session.ExecuteAsync(
                    $"""
                    INSERT INTO clock_warnings (clock_id, level, warned_at)
                    SELECT id, @Level, @Now
                    FROM clocks
                    WHERE id IN ({ids})
                    """,
                    values, ct);
                if (level.Key != WarningLevel.Overdue) continue;
                await session.ExecuteAsync(
                    $"""
                    INSERT INTO supervision_items (petition_id, clock_id, opened_at, state)
                    SELECT petition_id, id, @Now, 'open'
                    FROM clocks
                    WHERE id IN ({ids})
                    """,
                    values, ct);
                await session.ExecuteAsync(
                    $"""
                    INSERT INTO petition_events (petition_id, occurred_at, action, stage, actor_user_id, actor_organization_id, comment, is_public)
                    SELECT c.petition_id, @Now, 'overdue', p.stage, NULL, NULL, c.kind, @IsPublic
                    FROM clocks c
                    JOIN petitions p ON p.id = c.petition_id
                    WHERE c.id IN ({ids})
                    """,
                    values, ct);
            }
            // The unit and the deciding office are told (once when they are the same); each notice says its case and clock.
            await session.InsertRowsAsync(
                "INSERT INTO outbox (created_at, kind, petition_id, recipient_org_id, details)",
                warned.SelectMany(c => new[] { c.Row.AssignedUnitId, c.Row.HandlingOrgId }.OfType<long>().Distinct()
                    .Select(recipient => new object?[] { now, Codes.Of(c.Level!.Value), c.Row.PetitionId, recipient, Details(c.Row, c.Clock) })).ToList(),
                ct);
            var red = warned.Count(c => c.Level == WarningLevel.Overdue);
            return new Batch(claimed.Count, warned.Count - red, red, changes.Count - warned.Count, warned.Select(c => c.Row.PetitionId).ToHashSet());
        }

        private static string Details(ClaimedPetition row, Clock clock) => JsonSerializer.Serialize(new
        {
            caseNumber = row.CaseNumber,
            clock = Codes.Of(clock.Kind),
            dueOn = clock.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        });
    }
}
