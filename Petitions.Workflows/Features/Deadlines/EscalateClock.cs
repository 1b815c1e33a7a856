using System.Text.Json;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Deadlines;

/// <summary>
/// The sweep's command for one clock whose next warning is due: amber when near due; red when past due, which also
/// opens a supervision item. The unit and the deciding office are notified through the outbox. The clock is claimed
/// with a row lock that other instances skip, and the (clock, level) key makes each warning happen exactly once.
/// </summary>
public static class EscalateClock
{
    public sealed record Command(long ClockId) : ICommand<string>
    {
        public Actor Actor => Actor.Public;
        string? ICommandRequest.AuditCaseNumber => null;
    }

    /// <summary>What the command did: a warning level's code, or that there was nothing (left) to do.</summary>
    public const string Skipped = "skipped";

    public sealed class Handler(DbSession session, PetitionStore store, DeadlineRules rules, TimeProvider time) : IRequestHandler<Command, string>
    {
        public async Task<string> Handle(Command command, CancellationToken ct)
        {
            var now = time.GetUtcNow();
            var today = ShanghaiTime.DateOf(now);
            var (hint, suffix) = session.Dialect.SkipLocked;
            var caseNumber = await session.QuerySingleOrDefaultAsync<string>(
                $"""
                SELECT p.case_number
                FROM clocks c {hint}
                JOIN petitions p ON p.id = c.petition_id
                WHERE c.id = @ClockId
                  AND c.next_check_on <= @Today
                {suffix}
                """,
                new { command.ClockId, Today = today }, ct);
            if (caseNumber is null) return Skipped; // another instance has it, or it was done meanwhile

            var stored = (await store.LoadAsync(caseNumber, ct))!;
            var clock = stored.Petition.Clocks.Single(c => c.Id == command.ClockId);
            var policy = await rules.ByIdAsync(stored.PolicyId, ct);
            var level = clock.WarningDue(today, policy);
            if (level is null)
            {
                clock.Reschedule(policy); // its check day was stale (a clock from before the sweep existed)
                await store.SaveAsync(stored, ct);
                return Skipped;
            }

            clock.Warn(level.Value, policy);
            await session.ExecuteAsync(
                """
                INSERT INTO clock_warnings (clock_id, level, warned_at)
                VALUES (@ClockId, @Level, @WarnedAt)
                """,
                new { command.ClockId, Level = Codes.Of(level.Value), WarnedAt = now }, ct);
            await store.SaveAsync(stored, ct);

            var petition = stored.Petition;
            if (level == WarningLevel.Overdue)
            {
                await session.ExecuteAsync(
                    """
                    INSERT INTO supervision_items (petition_id, clock_id, opened_at, state)
                    VALUES (@PetitionId, @ClockId, @OpenedAt, 'open')
                    """,
                    new { PetitionId = stored.Id, command.ClockId, OpenedAt = now }, ct);
                await store.AppendEventAsync(stored.Id, now, "overdue", petition.Stage, command.Actor, Codes.Of(clock.Kind), isPublic: false, ct);
            }
            var details = JsonSerializer.Serialize(new
            {
                caseNumber,
                clock = Codes.Of(clock.Kind),
                dueOn = clock.DueOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            });
            foreach (var recipient in new[] { petition.AssignedUnitId, petition.HandlingOrganizationId }.OfType<long>().Distinct())
                await store.AddOutboxAsync(stored.Id, recipient, Codes.Of(level.Value), now, details, ct);
            return Codes.Of(level.Value);
        }
    }
}
