using FluentValidation;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Public;

/// <summary>
/// A petitioner checks progress with the case number and query code: the stage, the dated public timeline, the
/// notices owed and the current due date; and, where the bureau enables it, the contact card of the unit handling it.
/// A referred matter shows whole: the steps of every bureau it went to, and the stage, due date and contact card of the
/// one handling it now. No personal data of anyone involved. A wrong code and an unknown case get the same answer.
/// </summary>
public static class LookUpPetition
{
    public sealed record Query(string CaseNumber, string? QueryCode) : IQuery<Response>
    {
        public override string ToString() => nameof(LookUpPetition); // the query code stays out of logs
    }

    public sealed record Step(DateOnly On, string Event, string Stage);

    /// <summary>A writing the petitioner is owed, and the day it was issued.</summary>
    public sealed record OwedNotice(string Kind, DateOnly IssuedOn);

    /// <summary>Who handles the petition: the unit, its officer (承办人; until one is assigned, the user of that unit who
    /// acted on it last) by display name only, and the office phone.</summary>
    public sealed record ContactCard(string Unit, string? Officer, string? Phone);

    public sealed record Response(
        string CaseNumber, string Stage, DateOnly ReceivedOn, DateOnly? DueOn, bool DueProvisional, IReadOnlyList<Step> Timeline, IReadOnlyList<OwedNotice> Notices)
    {
        public ContactCard? Contact { get; init; }

        /// <summary>Whether the petitioner may evaluate now: a reply was served and they have not evaluated it yet.</summary>
        public bool CanEvaluate { get; init; }
    }

    /// <summary>The deadlines the petitioner is told: the office's and the organ's, and the petitioner's own request
    /// window; not the internal ones (return visit, referral objection, supervision orders).</summary>
    private static readonly string[] PublicClocks =
        [.. new[] { ClockKind.Intake, ClockKind.Handling, ClockKind.ReviewRequest, ClockKind.ReviewDecision, ClockKind.RereviewRequest, ClockKind.RereviewDecision }.Select(Codes.Of)];

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.QueryCode).NotEmpty().MaximumLength(32);
    }

    public const string NoMatch = "No petition matches this case number and query code.";

    public sealed class Handler(DbSession session, PetitionStore store) : IRequestHandler<Query, Response>
    {
        private sealed record PetitionRow
        {
            public long? ReferredToId { get; init; }
            public DateOnly? ServedOn { get; init; }
            public bool PetitionerEvaluated { get; init; }
            public string Stage { get; init; } = "";
            public DateTimeOffset ReceivedAt { get; init; }
            public string? ContactUnit { get; init; }
            public string? ContactOfficer { get; init; }
            public string? ContactPhone { get; init; }
        }

        private sealed record EventRow
        {
            public DateTimeOffset OccurredAt { get; init; }
            public DateOnly? HappenedOn { get; init; }
            public string Action { get; init; } = "";
            public string Stage { get; init; } = "";
        }

        private sealed record NoticeRow
        {
            public string Kind { get; init; } = "";
            public DateTimeOffset IssuedAt { get; init; }
        }

        private sealed record ClockRow
        {
            public string Kind { get; init; } = "";
            public DateOnly DueOn { get; init; }
            public bool Provisional { get; init; }
            public string State { get; init; } = "";
        }

        public async Task<Response> Handle(Query query, CancellationToken ct)
        {
            var id = await store.OpenWithQueryCodeAsync(query.CaseNumber, query.QueryCode, ct) ?? throw new NotFoundException(NoMatch);
            // The case the petitioner holds the code of, then each case the matter was referred to and still follows.
            var cases = new List<long> { id };
            var original = await PetitionAsync(id, ct);
            var now = original;
            while (now.ReferredToId is { } next && cases.Count <= 4)
            {
                cases.Add(next);
                now = await PetitionAsync(next, ct);
            }

            // The cases as parameters of their own: Dapper would hand PostgreSQL a list as one array parameter.
            var inCases = string.Join(", ", cases.Select((_, i) => $"@Case{i}"));
            var parameters = new Dapper.DynamicParameters(new { IsPublic = true });
            foreach (var (i, petition) in cases.Index()) parameters.Add($"Case{i}", petition);
            var events = await session.QueryAsync<EventRow>(
                $"""
                SELECT occurred_at AS OccurredAt,
                       happened_on AS HappenedOn,
                       action      AS Action,
                       stage       AS Stage
                FROM petition_events
                WHERE petition_id IN ({inCases})
                  AND is_public = @IsPublic
                ORDER BY occurred_at, id
                """,
                parameters, ct);
            // All of the petition's few clocks, the running one picked here: with the state in the statement, SQLite
            // (which keeps no statistics) reads through the (state, due_on) index, i.e. every running clock of every
            // petition (48 ms a lookup at 200,000 petitions in the benchmark).
            var clock = (await session.QueryAsync<ClockRow>(
                """
                SELECT kind        AS Kind,
                       due_on      AS DueOn,
                       provisional AS Provisional,
                       state       AS State
                FROM clocks
                WHERE petition_id = @Id
                """,
                new { Id = cases[^1] }, ct)).Where(c => c.State == Codes.Of(ClockState.Running) && PublicClocks.Contains(c.Kind)).MinBy(c => c.DueOn);

            var notices = await session.QueryAsync<NoticeRow>(
                $"""
                SELECT kind      AS Kind,
                       issued_at AS IssuedAt
                FROM notices
                WHERE petition_id IN ({inCases})
                ORDER BY issued_at, id
                """,
                parameters, ct);

            return new Response(
                query.CaseNumber,
                now.Stage,
                ShanghaiTime.DateOf(original.ReceivedAt),
                clock?.DueOn,
                clock?.Provisional ?? false,
                events.Select(e => new Step(e.HappenedOn ?? ShanghaiTime.DateOf(e.OccurredAt), e.Action, e.Stage)).ToList(),
                notices.Select(n => new OwedNotice(n.Kind, ShanghaiTime.DateOf(n.IssuedAt))).ToList())
            {
                Contact = now.ContactUnit is { } unit ? new ContactCard(unit, now.ContactOfficer, now.ContactPhone) : null,
                CanEvaluate = now.ServedOn is not null && !now.PetitionerEvaluated, // as Petition.MayBeEvaluated
            };
        }

        private async Task<PetitionRow> PetitionAsync(long id, CancellationToken ct) =>
            (await session.QuerySingleOrDefaultAsync<PetitionRow>(
                """
                SELECT p.referred_to_id AS ReferredToId,
                       p.served_on            AS ServedOn,
                       p.petitioner_evaluated AS PetitionerEvaluated,
                       p.stage       AS Stage,
                       p.received_at AS ReceivedAt,
                       u.name        AS ContactUnit,
                       COALESCE((SELECT oc.display_name FROM users oc WHERE oc.id = p.officer_id AND u.id IS NOT NULL),
                                (SELECT o.display_name
                                 FROM users o
                                 WHERE o.id = (SELECT e.actor_user_id FROM petition_events e
                                               WHERE e.id = (SELECT MAX(l.id) FROM petition_events l
                                                             WHERE l.petition_id = p.id AND l.actor_organization_id = u.id)))) AS ContactOfficer,
                       COALESCE(u.contact_phone, b.contact_phone) AS ContactPhone
                FROM petitions p
                JOIN organizations b ON b.id = p.bureau_id
                LEFT JOIN organizations u ON u.id = p.assigned_unit_id AND b.contact_card = @Enabled
                WHERE p.id = @Id
                """,
                new { Id = id, Enabled = true }, ct))!;
    }
}
