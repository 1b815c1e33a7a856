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

    /// <summary>The written reply served to the petitioner: its outcome, its text, the level that issued it (handling,
    /// review, re-review) and when it was issued and served.</summary>
    public sealed record Reply(string Outcome, string Text, string Level, DateOnly? IssuedOn, DateOnly ServedOn);

    /// <summary>Who handles the petition: the unit, its officer (承办人; until one is assigned, the user of that unit who
    /// acted on it last) by display name only, and the office phone.</summary>
    public sealed record ContactCard(string Unit, string? Officer, string? Phone);

    public sealed record Response(
        string CaseNumber, string Stage, DateOnly ReceivedOn, DateOnly? DueOn, bool DueProvisional, IReadOnlyList<Step> Timeline, IReadOnlyList<OwedNotice> Notices)
    {
        public ContactCard? Contact { get; init; }

        /// <summary>Which deadline <see cref="DueOn"/> is (a clock kind: the office's intake, the handling period, the
        /// petitioner's own review or re-review request window, the organ's decision), so it is named for what it is.</summary>
        public string? DueKind { get; init; }

        /// <summary>The last reply served, once one was; null while a newer opinion awaits its service.</summary>
        public Reply? Reply { get; init; }

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
        /// <summary>One row of the lookup: the petition, or one of its public history entries, running clocks, notices or
        /// its served reply (<see cref="Part"/> says which; columns a part has no use for are null). <see cref="OnDay"/>
        /// is an entry's dated day, a clock's due day, the petition's service day or the reply's issue day;
        /// <see cref="Flag"/> whether a clock's due day is provisional or whether the petitioner has evaluated the
        /// petition; <see cref="Body"/> the reply's text.</summary>
        private sealed record Row
        {
            public string Part { get; init; } = "";
            public DateTimeOffset? At { get; init; }
            public string? Code { get; init; }
            public string? Stage { get; init; }
            public DateOnly? OnDay { get; init; }
            public bool? Flag { get; init; }
            public string? ContactUnit { get; init; }
            public string? ContactOfficer { get; init; }
            public string? ContactPhone { get; init; }
            public string? Body { get; init; }
            public long Seq { get; init; }
        }

        /// <summary>
        /// Everything the petitioner sees, in one statement (one round trip: on a loaded server each one is a chance to
        /// wait for the CPU). The petition is found by its case number and the keyed hash of the code, so a wrong code
        /// and an unknown case both find nothing. <c>matter</c> is one row: the petition opened and the bureaus it was
        /// referred on to, followed by primary key four referrals deep at most (a fixed chain: a recursive one needs
        /// WITH RECURSIVE on PostgreSQL, which SQL Server refuses), and the one handling it now. The history and notices
        /// are those of every case of the matter, the stage, due day and contact those of the case handling it.
        /// The chain is joins in one row rather than a CTE for each referral: SQLite copied each such CTE into every
        /// place that used it, and compiling the copies cost 2 ms of CPU a lookup (0.2 ms this way). Rows come unordered
        /// (<see cref="Handle"/> orders them): a sorted UNION costs SQLite a sorter for each branch.
        /// The branches are ordered so each column meets a typed value before one that is only NULL: PostgreSQL types
        /// a UNION pair by pair. The running clocks are found by the (petition, state, due day) index of migration 0010.
        /// </summary>
        private const string Lookup = """
            WITH matter AS (
                SELECT opened.id          AS opened_id,
                       opened.received_at AS received_at,
                       referral1.id       AS referral1_id,
                       referral2.id       AS referral2_id,
                       referral3.id       AS referral3_id,
                       referral4.id       AS referral4_id,
                       COALESCE(referral4.id, referral3.id, referral2.id, referral1.id, opened.id) AS handling_id
                FROM petitions opened
                LEFT JOIN petitions referral1 ON referral1.id = opened.referred_to_id
                LEFT JOIN petitions referral2 ON referral2.id = referral1.referred_to_id
                LEFT JOIN petitions referral3 ON referral3.id = referral2.referred_to_id
                LEFT JOIN petitions referral4 ON referral4.id = referral3.referred_to_id
                WHERE opened.case_number = @CaseNumber
                  AND opened.query_code_hash = @QueryCodeHash
            )
            SELECT 'event'       AS Part,
                   e.occurred_at AS At,
                   e.action      AS Code,
                   e.stage       AS Stage,
                   e.happened_on AS OnDay,
                   NULL          AS Flag,
                   NULL          AS ContactUnit,
                   NULL          AS ContactOfficer,
                   NULL          AS ContactPhone,
                   NULL          AS Body,
                   e.id          AS Seq
            FROM matter m
            JOIN petition_events e ON e.petition_id IN (m.opened_id, m.referral1_id, m.referral2_id, m.referral3_id, m.referral4_id)
            WHERE e.is_public = @IsPublic
            UNION ALL
            SELECT 'clock', NULL, c.kind, NULL, c.due_on, c.provisional, NULL, NULL, NULL, NULL, c.id
            FROM matter m
            JOIN clocks c ON c.petition_id = m.handling_id
            WHERE c.state = @Running
            UNION ALL
            SELECT 'notice', notice.issued_at, notice.kind, NULL, NULL, NULL, NULL, NULL, NULL, NULL, notice.id
            FROM matter m
            JOIN notices notice ON notice.petition_id IN (m.opened_id, m.referral1_id, m.referral2_id, m.referral3_id, m.referral4_id)
            UNION ALL
            SELECT 'petition',
                   m.received_at,
                   h.stage,
                   NULL,
                   h.served_on,
                   h.petitioner_evaluated,
                   u.name,
                   COALESCE((SELECT assigned.display_name
                             FROM users assigned
                             WHERE assigned.id = h.officer_id
                               AND u.id IS NOT NULL),
                            (SELECT officer.display_name
                             FROM users officer
                             WHERE officer.id = (SELECT last.actor_user_id
                                                 FROM petition_events last
                                                 WHERE last.id = (SELECT MAX(l.id)
                                                                  FROM petition_events l
                                                                  WHERE l.petition_id = h.id
                                                                    AND l.actor_organization_id = u.id)))),
                   COALESCE(u.contact_phone, b.contact_phone),
                   NULL,
                   h.id
            FROM matter m
            JOIN petitions h ON h.id = m.handling_id
            JOIN organizations b ON b.id = h.bureau_id
            LEFT JOIN organizations u ON u.id = h.assigned_unit_id AND b.contact_card = @Enabled
            UNION ALL
            SELECT 'reply', NULL, served.opinion_outcome, served.reply_level, served.opinion_issued_on, NULL, NULL, NULL, NULL, served.opinion_text, served.id
            FROM matter m
            JOIN petitions served ON served.id = m.handling_id
            WHERE served.served_on IS NOT NULL
              AND served.opinion_issued_on <= served.served_on
            """;

        public async Task<Response> Handle(Query query, CancellationToken ct)
        {
            if (!CaseNumber.IsWellFormed(query.CaseNumber)) throw new NotFoundException(NoMatch);
            var rows = await session.QueryAsync<Row>(
                Lookup,
                new
                {
                    query.CaseNumber,
                    QueryCodeHash = store.QueryCodeHash(query.CaseNumber, query.QueryCode),
                    IsPublic = true,
                    Running = Codes.Of(ClockState.Running),
                    Enabled = true,
                },
                ct);
            var petition = rows.FirstOrDefault(r => r.Part == "petition");
            if (petition is null) throw new NotFoundException(NoMatch);
            var clock = rows.Where(r => r.Part == "clock" && PublicClocks.Contains(r.Code)).OrderBy(r => r.OnDay).ThenBy(r => r.Seq).FirstOrDefault();

            return new Response(
                query.CaseNumber,
                petition.Code!,
                ShanghaiTime.DateOf(petition.At!.Value),
                clock?.OnDay,
                clock?.Flag ?? false,
                InOrder(rows, "event").Select(e => new Step(e.OnDay ?? ShanghaiTime.DateOf(e.At!.Value), e.Code!, e.Stage!)).ToList(),
                InOrder(rows, "notice").Select(n => new OwedNotice(n.Code!, ShanghaiTime.DateOf(n.At!.Value))).ToList())
            {
                Contact = petition.ContactUnit is { } unit ? new ContactCard(unit, petition.ContactOfficer, petition.ContactPhone) : null,
                DueKind = clock?.Code,
                Reply = rows.SingleOrDefault(r => r.Part == "reply") is { } reply
                    ? new Reply(reply.Code!, reply.Body ?? "", reply.Stage!, reply.OnDay, petition.OnDay!.Value)
                    : null,
                CanEvaluate = petition.OnDay is not null && petition.Flag != true, // as Petition.MayBeEvaluated
            };
        }

        /// <summary>The rows of one part as they happened: by time, then by their order of writing.</summary>
        private static IEnumerable<Row> InOrder(IEnumerable<Row> rows, string part) =>
            rows.Where(r => r.Part == part).OrderBy(r => r.At).ThenBy(r => r.Seq);
    }
}
