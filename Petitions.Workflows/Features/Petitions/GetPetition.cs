using FluentValidation;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Privacy;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Petitions;

/// <summary>
/// Staff read a petition: the record, its people, its clocks and its timeline, the opinion on record with every version
/// of it, both evaluations of each served reply, and the petitions it is linked to. The whole ID number shows only to the
/// desk and the office, the whole phone and address also to the handling unit; others see them masked. Every view
/// that shows any of them whole is written to the audit log with the fields it showed. Where it stands: the
/// organization deciding it now, the unit it is assigned to, its officer (承办人) and the leader in charge (包案), when
/// there are.
/// </summary>
public static class GetPetition
{
    public sealed record Query(string CaseNumber, Actor Actor) : IQuery<Response>;

    public sealed record PersonView(string Role, string Name, string? IdNumber, bool IdNumberMasked, string? Phone, string? Address);

    public sealed record ClockView
    {
        public string Kind { get; init; } = "";
        public DateOnly StartedOn { get; init; }
        public DateOnly DueOn { get; init; }
        public bool Provisional { get; init; }
        public string State { get; init; } = "";
    }

    public sealed record EventView
    {
        /// <summary>When it was entered.</summary>
        public DateTimeOffset At { get; init; }

        /// <summary>The day it happened, for an action dated by the real-world event (acceptance, a request received …).</summary>
        public DateOnly? HappenedOn { get; init; }

        public string Action { get; init; } = "";
        public string Stage { get; init; } = "";
        public string? Actor { get; init; }
        public string? Organization { get; init; }
        public string? Comment { get; init; }
    }

    public sealed record BureauView(string Code, string Name);

    /// <summary>One version of an opinion: as submitted, and what its reviewer decided (approved, returned with the
    /// reason; a review's or re-review's decision is "decided").</summary>
    public sealed record OpinionVersionView
    {
        public string Level { get; init; } = "";
        public string Outcome { get; init; } = "";
        public string Text { get; init; } = "";
        public DateTimeOffset SubmittedAt { get; init; }
        public string? SubmittedBy { get; init; }
        public string? Decision { get; init; }
        public string? Reason { get; init; }
        public DateTimeOffset? DecidedAt { get; init; }
        public string? DecidedBy { get; init; }
    }

    /// <summary>The opinion on record (the draft under review, a returned draft to revise, or the one issued) and every
    /// version of it.</summary>
    public sealed record OpinionView(string Outcome, string Text, DateOnly? IssuedOn, IReadOnlyList<OpinionVersionView> Versions);

    /// <summary>A satisfaction given about a served reply: at the return visit, or by the petitioner online.</summary>
    public sealed record EvaluationView
    {
        public int Reply { get; init; }
        public string Level { get; init; } = "";
        public string Source { get; init; } = "";
        public string Satisfaction { get; init; } = "";
        public string? Comment { get; init; }
        public DateTimeOffset RecordedAt { get; init; }
        public string? RecordedBy { get; init; }
    }

    /// <summary>Another petition this one is tied to: referred-to, referred-from, duplicate-of.</summary>
    public sealed record LinkView
    {
        public string Kind { get; init; } = "";
        public string CaseNumber { get; init; } = "";
        public string Stage { get; init; } = "";
        public string Bureau { get; init; } = "";
        public string? ReferralAnswer { get; init; }
    }

    /// <summary>An organization as a record names it.</summary>
    public sealed record OrganizationView(string Code, string Name);

    /// <summary>A user as a record names them: the user name actions take, and the name people read.</summary>
    public sealed record OfficerView(string UserName, string Name);

    /// <summary>Which of our organizations an accusation accuses: the one chosen or confirmed, or, while the office has to
    /// confirm, those the petitioner's words resemble.</summary>
    public sealed record AccusedUnitView(OrganizationView? Unit, bool ToConfirm, IReadOnlyList<OrganizationView> Resembling);

    public sealed record Response(
        string CaseNumber,
        string Stage,
        string Channel,
        string Category,
        string Subject,
        string Content,
        int PeopleCount,
        string? InvolvedUnit,
        string? InvolvedOfficer,
        DateTimeOffset ReceivedAt,
        DateTimeOffset RegisteredAt,
        BureauView Bureau,
        PersonView Petitioner,
        IReadOnlyList<PersonView> Representatives,
        IReadOnlyList<ClockView> Clocks,
        IReadOnlyList<EventView> Timeline,
        int Version,
        AccusedUnitView? AccusedUnit,
        IReadOnlyList<PetitionStore.PossibleDuplicate> PossibleDuplicates,
        bool FirstPetition,
        OrganizationView HandlingOrganization,
        OrganizationView? AssignedUnit,
        string? LeaderInCharge)
    {
        /// <summary>The acceptance day (受理日) the handling period runs from.</summary>
        public DateOnly? AcceptedOn { get; init; }

        /// <summary>The officer (承办人) of the handling unit the petition is assigned to, when one is.</summary>
        public OfficerView? Officer { get; init; }

        /// <summary>The leader who received the petition on a leadership reception day (局长接待日).</summary>
        public string? ReceivingLeader { get; init; }

        public OpinionView? Opinion { get; init; }
        public IReadOnlyList<EvaluationView> Evaluations { get; init; } = [];

        /// <summary>The satisfaction reports count: of the last evaluated reply, the petitioner's own where given.</summary>
        public string? Satisfaction { get; init; }

        public IReadOnlyList<LinkView> Links { get; init; } = [];
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.CaseNumber).Must(CaseNumber.IsWellFormed).WithErrorCode("case-number").WithMessage("Not a case number.");
    }

    /// <summary>Roles that verify a petitioner's identity at the desk and so see the whole ID number.</summary>
    private static readonly Role[] SeeFullIdNumber = [Role.Reception, Role.Office];

    /// <summary>Roles that triage and register, and so see the same person's earlier petitions (同人同事).</summary>
    private static readonly Role[] SeeDuplicates = [Role.Reception, Role.Office];

    /// <summary>Roles that reach the petitioner and so see the whole phone number and address.</summary>
    private static readonly Role[] SeeFullContact = [Role.Reception, Role.Office, Role.Handler];

    public sealed class Handler(
        DbSession session, PetitionStore store, AccountStore accounts, PersonalDataProtector protector, AuditLog audit, TimeProvider time)
        : IRequestHandler<Query, Response>
    {
        private sealed record PetitionRow
        {
            public long Id { get; init; }
            public string CaseNumber { get; init; } = "";
            public string Stage { get; init; } = "";
            public string Channel { get; init; } = "";
            public string Category { get; init; } = "";
            public string Subject { get; init; } = "";
            public string Content { get; init; } = "";
            public int PeopleCount { get; init; }
            public string? InvolvedUnit { get; init; }
            public string? InvolvedOfficer { get; init; }
            public DateTimeOffset ReceivedAt { get; init; }
            public DateTimeOffset RegisteredAt { get; init; }
            public string BureauCode { get; init; } = "";
            public string BureauName { get; init; } = "";
            public string BureauPath { get; init; } = "";
            public string? InvolvedUnitCode { get; init; }
            public string? InvolvedUnitName { get; init; }
            public int Version { get; init; }
            public bool FirstPetition { get; init; }
            public string HandlingCode { get; init; } = "";
            public string HandlingName { get; init; } = "";
            public string? AssignedUnitCode { get; init; }
            public string? AssignedUnitName { get; init; }
            public string? LeaderInCharge { get; init; }
            public string? OfficerUserName { get; init; }
            public string? OfficerName { get; init; }
            public DateOnly? AcceptedOn { get; init; }
            public string? ReceivingLeader { get; init; }
            public string? OpinionOutcome { get; init; }
            public string? OpinionText { get; init; }
            public DateOnly? OpinionIssuedOn { get; init; }
            public string? Satisfaction { get; init; }
        }

        private sealed record PersonRow(string Role, string Name, string? IdNumberCipher, string? Phone, string? Address);

        public async Task<Response> Handle(Query query, CancellationToken ct)
        {
            var (_, stored) = await PetitionScope.LoadWithinReachAsync(store, accounts, query.CaseNumber, query.Actor, ct);
            var petition = (await session.QuerySingleOrDefaultAsync<PetitionRow>(
                """
                SELECT p.id               AS Id,
                       p.case_number      AS CaseNumber,
                       p.stage            AS Stage,
                       p.channel          AS Channel,
                       p.category         AS Category,
                       p.subject          AS Subject,
                       p.content          AS Content,
                       p.people_count     AS PeopleCount,
                       p.involved_unit    AS InvolvedUnit,
                       p.involved_officer AS InvolvedOfficer,
                       p.received_at      AS ReceivedAt,
                       p.registered_at    AS RegisteredAt,
                       b.code             AS BureauCode,
                       b.name             AS BureauName,
                       b.path             AS BureauPath,
                       iu.code            AS InvolvedUnitCode,
                       iu.name            AS InvolvedUnitName,
                       p.version          AS Version,
                       p.first_petition   AS FirstPetition,
                       h.code             AS HandlingCode,
                       h.name             AS HandlingName,
                       au.code            AS AssignedUnitCode,
                       au.name            AS AssignedUnitName,
                       lc.display_name    AS LeaderInCharge,
                       oc.user_name       AS OfficerUserName,
                       oc.display_name    AS OfficerName,
                       p.accepted_on      AS AcceptedOn,
                       l.display_name     AS ReceivingLeader,
                       p.opinion_outcome  AS OpinionOutcome,
                       p.opinion_text     AS OpinionText,
                       p.opinion_issued_on AS OpinionIssuedOn,
                       p.satisfaction     AS Satisfaction
                FROM petitions p
                JOIN organizations b ON b.id = p.bureau_id
                JOIN organizations h ON h.id = p.handling_org_id
                LEFT JOIN organizations iu ON iu.id = p.involved_unit_id
                LEFT JOIN organizations au ON au.id = p.assigned_unit_id
                LEFT JOIN users lc ON lc.id = p.leader_in_charge_id
                LEFT JOIN users oc ON oc.id = p.officer_id
                LEFT JOIN users l ON l.id = p.reception_leader_id
                WHERE p.id = @Id
                """,
                new { stored.Id }, ct))!;

            var people = await session.QueryAsync<PersonRow>(
                """
                SELECT role             AS Role,
                       name             AS Name,
                       id_number_cipher AS IdNumberCipher,
                       phone            AS Phone,
                       address          AS Address
                FROM petition_people
                WHERE petition_id = @Id
                ORDER BY ordinal
                """,
                new { petition.Id }, ct);
            var clocks = await session.QueryAsync<ClockView>(
                """
                SELECT kind        AS Kind,
                       started_on  AS StartedOn,
                       due_on      AS DueOn,
                       provisional AS Provisional,
                       state       AS State
                FROM clocks
                WHERE petition_id = @Id
                ORDER BY id
                """,
                new { petition.Id }, ct);
            var timeline = await session.QueryAsync<EventView>(
                """
                SELECT e.occurred_at  AS At,
                       e.happened_on  AS HappenedOn,
                       e.action       AS Action,
                       e.stage        AS Stage,
                       u.display_name AS Actor,
                       o.name         AS Organization,
                       e.comment      AS Comment
                FROM petition_events e
                LEFT JOIN users u ON u.id = e.actor_user_id
                LEFT JOIN organizations o ON o.id = e.actor_organization_id
                WHERE e.petition_id = @Id
                ORDER BY e.occurred_at, e.id
                """,
                new { petition.Id }, ct);
            var versions = await session.QueryAsync<OpinionVersionView>(
                """
                SELECT v.level          AS Level,
                       v.outcome        AS Outcome,
                       v.body           AS Text,
                       v.submitted_at   AS SubmittedAt,
                       s.display_name   AS SubmittedBy,
                       v.decision       AS Decision,
                       v.reason         AS Reason,
                       v.decided_at     AS DecidedAt,
                       d.display_name   AS DecidedBy
                FROM opinion_versions v
                LEFT JOIN users s ON s.id = v.submitted_by
                LEFT JOIN users d ON d.id = v.decided_by
                WHERE v.petition_id = @Id
                ORDER BY v.id
                """,
                new { petition.Id }, ct);
            var evaluations = await session.QueryAsync<EvaluationView>(
                """
                SELECT v.reply        AS Reply,
                       v.level        AS Level,
                       v.source       AS Source,
                       v.satisfaction AS Satisfaction,
                       v.comment      AS Comment,
                       v.recorded_at  AS RecordedAt,
                       u.display_name AS RecordedBy
                FROM evaluations v
                LEFT JOIN users u ON u.id = v.recorded_by
                WHERE v.petition_id = @Id
                ORDER BY v.reply, v.id
                """,
                new { petition.Id }, ct);
            var links = await session.QueryAsync<LinkView>(
                """
                SELECT l.kind            AS Kind,
                       p.case_number     AS CaseNumber,
                       p.stage           AS Stage,
                       b.name            AS Bureau,
                       p.referral_answer AS ReferralAnswer
                FROM petition_links l
                JOIN petitions p ON p.id = l.linked_petition_id
                JOIN organizations b ON b.id = p.bureau_id
                WHERE l.petition_id = @Id
                ORDER BY p.id
                """,
                new { petition.Id }, ct);

            var fullIdNumber = query.Actor.HasAny(SeeFullIdNumber);
            var fullContact = query.Actor.HasAny(SeeFullContact);
            var views = people.Select(p => View(p, fullIdNumber, fullContact)).ToList();
            var revealed = new[]
            {
                fullIdNumber && people.Any(p => p.IdNumberCipher is not null) ? "idNumber" : null,
                fullContact && people.Any(p => p.Phone is not null) ? "phone" : null,
                fullContact && people.Any(p => p.Address is not null) ? "address" : null,
            }.OfType<string>().ToList();
            // Every look at full personal data leaves a trace: who, when, which case, which fields.
            if (revealed.Count > 0)
                await audit.AppendAsync(query.Actor, "view-personal-data", petition.CaseNumber, "ok", string.Join(",", revealed), ct);
            return new Response(
                petition.CaseNumber, petition.Stage, petition.Channel, petition.Category, petition.Subject, petition.Content,
                petition.PeopleCount, petition.InvolvedUnit, petition.InvolvedOfficer, petition.ReceivedAt, petition.RegisteredAt,
                new BureauView(petition.BureauCode, petition.BureauName),
                views[0], views.Skip(1).ToList(), clocks, timeline, petition.Version,
                await AccusedUnitAsync(petition, stored.Petition, ct),
                query.Actor.HasAny(SeeDuplicates) ? await DuplicatesAsync(petition, people, ct) : [],
                petition.FirstPetition,
                new OrganizationView(petition.HandlingCode, petition.HandlingName),
                petition.AssignedUnitCode is null ? null : new OrganizationView(petition.AssignedUnitCode, petition.AssignedUnitName!),
                petition.LeaderInCharge)
            {
                AcceptedOn = petition.AcceptedOn,
                Officer = petition.OfficerUserName is { } officer ? new OfficerView(officer, petition.OfficerName!) : null,
                ReceivingLeader = petition.ReceivingLeader,
                Opinion = petition.OpinionOutcome is { } outcome ? new OpinionView(outcome, petition.OpinionText ?? "", petition.OpinionIssuedOn, versions) : null,
                Evaluations = evaluations,
                Satisfaction = petition.Satisfaction,
                Links = links,
            };
        }

        private async Task<AccusedUnitView?> AccusedUnitAsync(PetitionRow row, Petition petition, CancellationToken ct)
        {
            if (petition.Category != Category.Accusation) return null;
            var unit = row.InvolvedUnitCode is null ? null : new OrganizationView(row.InvolvedUnitCode, row.InvolvedUnitName!);
            var resembling = petition.AccusedUnitToConfirm && row.InvolvedUnit is { } written
                ? (await accounts.ResemblingAsync(row.BureauPath, written, ct)).Select(o => new OrganizationView(o.Code, o.Name)).ToList()
                : [];
            return new AccusedUnitView(unit, petition.AccusedUnitToConfirm, resembling);
        }

        /// <summary>The other petitions of its people (petitioner, co-signers, representatives) in the bureau's subtree,
        /// which is within the desk's and the office's reach (they sit at the bureau or above it).</summary>
        private async Task<IReadOnlyList<PetitionStore.PossibleDuplicate>> DuplicatesAsync(PetitionRow row, IReadOnlyList<PersonRow> people, CancellationToken ct)
        {
            var today = ShanghaiTime.DateOf(time.GetUtcNow());
            var persons = people.Select(p =>
            {
                IdNumber.TryParse(p.IdNumberCipher is null ? null : protector.Decrypt(p.IdNumberCipher), today, out var idNumber, out _);
                return new Person(p.Name, idNumber, p.Phone, p.Address);
            }).ToList();
            var bureau = new Bureau(0, row.BureauCode, row.BureauName, row.BureauPath);
            return (await store.PossibleDuplicatesAsync(persons, row.Subject, bureau, ct)).Where(d => d.CaseNumber != row.CaseNumber).ToList();
        }

        private PersonView View(PersonRow row, bool fullIdNumber, bool fullContact)
        {
            var idNumber = row.IdNumberCipher is null ? null : protector.Decrypt(row.IdNumberCipher);
            return new PersonView(
                row.Role, row.Name, fullIdNumber || idNumber is null ? idNumber : IdNumber.Mask(idNumber), !fullIdNumber && idNumber is not null,
                fullContact || row.Phone is null ? row.Phone : PhoneNumber.Mask(row.Phone),
                fullContact || row.Address is null ? row.Address : MaskAddress(row.Address));
        }

        /// <summary>An address masked for roles that need not reach the petitioner: the district stays.</summary>
        private static string MaskAddress(string address) => address.Length <= 6 ? new string('*', address.Length) : string.Concat(address.AsSpan(0, 6), "****");
    }
}
