using Dapper;
using Petitions.Domain;
using Petitions.Workflows.Privacy;

namespace Petitions.Workflows.Storage;

/// <summary>The bureau a petition belongs to: its id, its code (in case numbers) and its path in the tree.</summary>
public sealed record Bureau(long Id, string Code, string Name, string Path);

/// <summary>
/// Writes and reads petitions. Registration writes the petition, its people, the first history entry and the
/// intake clock: the rows the benchmark's raw floor writes too.
/// </summary>
public sealed class PetitionStore(DbSession session, PersonalDataProtector protector, ReportCounters reports)
{
    /// <summary>The bureau an organization belongs to: itself, or for a handling unit its parent bureau.</summary>
    public async Task<Bureau?> BureauOfAsync(long organizationId, CancellationToken ct) =>
        await session.QuerySingleOrDefaultAsync<Bureau>(
            """
            SELECT b.id   AS Id,
                   b.code AS Code,
                   b.name AS Name,
                   b.path AS Path
            FROM organizations o
            JOIN organizations b
              ON b.id = CASE WHEN o.kind = 'unit' THEN o.parent_id ELSE o.id END
            WHERE o.id = @OrganizationId
            """,
            new { OrganizationId = organizationId }, ct);

    /// <summary>A petition of the same person registered earlier in the bureau's subtree.</summary>
    public sealed record EarlierPetition
    {
        public string CaseNumber { get; init; } = "";
        public string Subject { get; init; } = "";
        public string Stage { get; init; } = "";
        public DateTimeOffset ReceivedAt { get; init; }
    }

    /// <summary>How many of a person's earlier petitions registration compares with: the most recent ones.</summary>
    public const int EarlierPetitionsCompared = 20;

    /// <summary>
    /// The most recent earlier petitions in which any of these people (the petitioner, co-signers and
    /// representatives) took part in any role: the same person by the ID number's keyed hash, or by phone. Each key
    /// reads at most the newest few of its rows from its (key, petition) index, so a person with thousands of
    /// petitions costs no more than one with two.
    /// </summary>
    public Task<IReadOnlyList<EarlierPetition>> EarlierPetitionsOfAsync(IReadOnlyCollection<Person> people, Bureau bureau, CancellationToken ct) =>
        EarlierPetitionsAsync(
            people.Select(p => p.IdNumber is { } id ? protector.Hash(HashPurpose.IdNumber, id.Value) : null).OfType<string>().ToList(),
            people.Select(p => p.Phone).OfType<string>().ToList(),
            bureau.Path, before: null, ct);

    private async Task<IReadOnlyList<EarlierPetition>> EarlierPetitionsAsync(
        IReadOnlyCollection<string> idNumberHashes, IReadOnlyCollection<string> phones, string scopePath, long? before, CancellationToken ct)
    {
        var newest = EarlierPetitionsCompared.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var parameters = new DynamicParameters(new { ScopePrefix = scopePath + "%", Before = before ?? long.MaxValue });
        var sources = new List<string>();
        void Source(string column, string prefix, IEnumerable<string> keys)
        {
            foreach (var (i, key) in keys.Distinct(StringComparer.Ordinal).Index())
            {
                var name = $"{prefix}{i}";
                parameters.Add(name, key);
                sources.Add($"SELECT petition_id FROM ({session.Dialect.Limit(
                    $"SELECT petition_id FROM petition_people WHERE {column} = @{name} AND petition_id < @Before ORDER BY petition_id DESC", newest)}) {name}");
            }
        }
        Source("id_number_hash", "by_id_number_", idNumberHashes);
        Source("phone", "by_phone_", phones);
        if (sources.Count == 0) return [];
        return await session.QueryAsync<EarlierPetition>(
            session.Dialect.Limit(
                $"""
                SELECT p.case_number AS CaseNumber,
                       p.subject     AS Subject,
                       p.stage       AS Stage,
                       p.received_at AS ReceivedAt
                FROM petitions p
                WHERE p.id IN ({string.Join("\n    UNION\n    ", sources)})
                  AND p.bureau_path LIKE @ScopePrefix
                ORDER BY p.id DESC
                """,
                newest),
            parameters,
            ct);
    }

    /// <summary>A person's earlier petition and how alike its subject is to the new one.</summary>
    public sealed record PossibleDuplicate(string CaseNumber, string Subject, string Stage, DateOnly ReceivedOn, double Similarity);

    /// <summary>The earlier petitions of any of these people in the bureau's subtree, most similar subject first (同人同事).</summary>
    public async Task<IReadOnlyList<PossibleDuplicate>> PossibleDuplicatesAsync(IReadOnlyCollection<Person> people, string subject, Bureau bureau, CancellationToken ct) =>
        (await EarlierPetitionsOfAsync(people, bureau, ct))
            .Select(e => new PossibleDuplicate(e.CaseNumber, e.Subject, e.Stage, ShanghaiTime.DateOf(e.ReceivedAt), Similarity(subject, e.Subject)))
            .OrderByDescending(d => d.Similarity)
            .ToList();

    private static double Similarity(string subject, string other) => Math.Round(MatterSimilarity.Of(subject, other), 2);

    private sealed record PersonKeyRow
    {
        public string? IdNumberHash { get; init; }
        public string? Phone { get; init; }
    }

    /// <summary>
    /// The petitions registered before this one, in its bureau's subtree, in which any of its people took part, each
    /// with where it stands and how alike its matter is: what acceptance checks for repeat petitions.
    /// </summary>
    public async Task<IReadOnlyList<EarlierMatter>> EarlierMattersAsync(long petitionId, CancellationToken ct)
    {
        var petition = (await session.QuerySingleOrDefaultAsync<SubjectRow>(
            """
            SELECT subject     AS Subject,
                   bureau_path AS BureauPath
            FROM petitions
            WHERE id = @Id
            """,
            new { Id = petitionId }, ct))!;
        var keys = await session.QueryAsync<PersonKeyRow>(
            """
            SELECT id_number_hash AS IdNumberHash,
                   phone          AS Phone
            FROM petition_people
            WHERE petition_id = @Id
            """,
            new { Id = petitionId }, ct);
        var earlier = await EarlierPetitionsAsync(
            keys.Select(k => k.IdNumberHash).OfType<string>().ToList(), keys.Select(k => k.Phone).OfType<string>().ToList(), petition.BureauPath, petitionId, ct);
        return earlier.Select(e => new EarlierMatter(e.CaseNumber, Codes.Parse<Stage>(e.Stage), Similarity(petition.Subject, e.Subject))).ToList();
    }

    private sealed record SubjectRow
    {
        public string Subject { get; init; } = "";
        public string BureauPath { get; init; } = "";
    }

    private sealed record LeaderRow
    {
        public long Id { get; init; }
        public string Path { get; init; } = "";
    }

    /// <summary>The user with this name when they are an enabled leader of the bureau or of an organization above it.</summary>
    public async Task<long?> LeaderAsync(string userName, Bureau bureau, CancellationToken ct)
    {
        var leader = await session.QuerySingleOrDefaultAsync<LeaderRow>(
            """
            SELECT u.id   AS Id,
                   o.path AS Path
            FROM users u
            JOIN organizations o ON o.id = u.organization_id
            JOIN user_roles r ON r.user_id = u.id
            WHERE u.user_name = @UserName
              AND u.disabled = @Disabled
              AND r.role = @Role
            """,
            new { UserName = userName, Disabled = false, Role = Codes.Of(Role.Leader) }, ct);
        return leader is not null && bureau.Path.StartsWith(leader.Path, StringComparison.Ordinal) ? leader.Id : null;
    }

    /// <summary>A bureau (not a handling unit) by its code: where an online submission is addressed.</summary>
    public Task<Bureau?> BureauByCodeAsync(string code, CancellationToken ct) =>
        session.QuerySingleOrDefaultAsync<Bureau>(
            """
            SELECT id   AS Id,
                   code AS Code,
                   name AS Name,
                   path AS Path
            FROM organizations
            WHERE code = @Code
              AND kind <> 'unit'
            """,
            new { Code = code }, ct);

    /// <summary>
    /// The petition a case number and query code open, or null when either is wrong. The keyed hash is computed
    /// even for an unknown case, so a wrong code and an unknown case take the same time and get the same answer.
    /// </summary>
    public async Task<long?> OpenWithQueryCodeAsync(string caseNumber, string? queryCode, CancellationToken ct)
    {
        var petition = CaseNumber.IsWellFormed(caseNumber)
            ? await session.QuerySingleOrDefaultAsync<QueryCodeRow>(
                """
                SELECT id              AS Id,
                       query_code_hash AS Hash
                FROM petitions
                WHERE case_number = @CaseNumber
                """,
                new { CaseNumber = caseNumber }, ct)
            : null;
        var matches = protector.Matches(HashPurpose.QueryCode, $"{caseNumber}:{QueryCode.Normalize(queryCode)}", petition?.Hash ?? new string('0', 64));
        return matches ? petition?.Id : null;
    }

    /// <summary>The keyed hash a petition's query code is stored as, for a lookup that finds the petition by it.</summary>
    public string QueryCodeHash(string caseNumber, string? queryCode) =>
        protector.Hash(HashPurpose.QueryCode, $"{caseNumber}:{QueryCode.Normalize(queryCode)}");

    private sealed record QueryCodeRow
    {
        public long Id { get; init; }
        public string Hash { get; init; } = "";
    }

    /// <summary>The next case number of a bureau for a year, inside the caller's transaction.</summary>
    public async Task<string> NextCaseNumberAsync(Bureau bureau, int year, CancellationToken ct)
    {
        var sequence = await session.ScalarAsync<long>(session.Dialect.NextCaseSequence, new { BureauId = bureau.Id, Year = year }, ct);
        return CaseNumber.Format(bureau.Code, year, sequence);
    }

    public async Task<long> InsertRegisteredAsync(
        Petition petition, Bureau bureau, string queryCodeHash, int workflowVersion, long? policyId, bool firstPetition, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var intake = petition.Intake ?? throw new InvalidOperationException("Only a petition just registered is inserted.");
        var petitionId = await session.ScalarAsync<long>(
            session.Dialect.InsertReturningId(
                """
                INSERT INTO petitions (
                    case_number,
                    bureau_id,
                    bureau_path,
                    channel,
                    category,
                    stage,
                    subject,
                    content,
                    people_count,
                    involved_unit,
                    involved_officer,
                    received_at,
                    registered_at,
                    registered_by,
                    query_code_hash,
                    workflow_version,
                    handling_org_id,
                    involved_unit_id,
                    accused_unit_to_confirm,
                    first_petition,
                    policy_id,
                    reception_leader_id)
                """,
                """
                VALUES (
                    @CaseNumber,
                    @BureauId,
                    @BureauPath,
                    @Channel,
                    @Category,
                    @Stage,
                    @Subject,
                    @Content,
                    @PeopleCount,
                    @InvolvedUnit,
                    @InvolvedOfficer,
                    @ReceivedAt,
                    @RegisteredAt,
                    @RegisteredBy,
                    @QueryCodeHash,
                    @WorkflowVersion,
                    @BureauId,
                    @InvolvedUnitId,
                    @AccusedUnitToConfirm,
                    @FirstPetition,
                    @PolicyId,
                    @ReceptionLeaderId)
                """),
            new
            {
                petition.CaseNumber,
                BureauId = bureau.Id,
                BureauPath = bureau.Path,
                Channel = Codes.Of(intake.Channel),
                Category = Codes.Of(intake.Category),
                Stage = Codes.Of(petition.Stage),
                intake.Subject,
                intake.Content,
                intake.PeopleCount,
                intake.InvolvedUnit,
                intake.InvolvedOfficer,
                intake.ReceivedAt,
                RegisteredAt = now,
                RegisteredBy = actor.UserId,
                QueryCodeHash = queryCodeHash,
                WorkflowVersion = workflowVersion,
                petition.InvolvedUnitId,
                petition.AccusedUnitToConfirm,
                FirstPetition = firstPetition,
                PolicyId = policyId,
                ReceptionLeaderId = intake.ReceivingLeaderId,
            },
            ct);
        reports.Inserted(petitionId);

        var people = intake.Representatives
            .Select((person, i) => PersonRow(petitionId, i + 1, "representative", person))
            .Prepend(PersonRow(petitionId, 0, "petitioner", intake.Petitioner));
        await session.WriteAsync(
            """
            INSERT INTO petition_people (petition_id, ordinal, role, name, id_number_cipher, id_number_hash, phone, address)
            VALUES (@PetitionId, @Ordinal, @Role, @Name, @IdNumberCipher, @IdNumberHash, @Phone, @Address)
            """,
            people, ct);

        await AppendEventAsync(petitionId, now, "register", petition.Stage, actor, comment: null, isPublic: true, ct);
        await SaveClocksAsync(petitionId, petition, ct);
        return petitionId;
    }

    /// <summary>
    /// A history entry: when it was entered (<paramref name="at"/>) and, for an action dated by when it happened, that
    /// day (<paramref name="happenedOn"/>); the organization in whose name it was done (<paramref name="organizationId"/>,
    /// the one deciding the petition then; null for its bureau).
    /// </summary>
    public Task AppendEventAsync(
        long petitionId, DateTimeOffset at, string action, Stage stage, Actor actor, string? comment, bool isPublic, CancellationToken ct,
        DateOnly? happenedOn = null, long? organizationId = null) =>
        session.WriteAsync(
            """
            INSERT INTO petition_events (petition_id, occurred_at, action, stage, actor_user_id, actor_organization_id, comment, is_public, happened_on, organization_id)
            VALUES (@PetitionId, @OccurredAt, @Action, @Stage, @ActorUserId, @ActorOrganizationId, @Comment, @IsPublic, @HappenedOn, @OrganizationId)
            """,
            new
            {
                HappenedOn = happenedOn,
                OrganizationId = organizationId,
                PetitionId = petitionId,
                OccurredAt = at,
                Action = action,
                Stage = Codes.Of(stage),
                ActorUserId = actor.UserId,
                ActorOrganizationId = actor.OrganizationId,
                Comment = comment,
                IsPublic = isPublic,
            },
            ct);

    /// <summary>A petition with what its actions need: its row id, its version for the optimistic check, and the
    /// workflow version it runs on.</summary>
    public sealed record Stored(long Id, int Version, int WorkflowVersion, long BureauId, string BureauPath, long? PolicyId, Petition Petition);

    private sealed record PetitionRow
    {
        public long Id { get; init; }
        public int Version { get; init; }
        public int WorkflowVersion { get; init; }
        public long BureauId { get; init; }
        public string BureauPath { get; init; } = "";
        public string CaseNumber { get; init; } = "";
        public string Stage { get; init; } = "";
        public string Category { get; init; } = "";
        public string ReviewLevel { get; init; } = "";
        public long HandlingOrgId { get; init; }
        public long? AssignedUnitId { get; init; }
        public long? InvolvedUnitId { get; init; }
        public string? InvolvedUnitPath { get; init; }
        public bool AccusedUnitToConfirm { get; init; }
        public int? RequestedExtensionDays { get; init; }
        public int GrantedExtensionDays { get; init; }
        public DateOnly? ServedOn { get; init; }
        public string? OpinionOutcome { get; init; }
        public string? OpinionText { get; init; }
        public string? Satisfaction { get; init; }
        public long? LeaderInChargeId { get; init; }
        public long? OfficerId { get; init; }
        public long? PolicyId { get; init; }
        public DateOnly? AcceptedOn { get; init; }
        public DateOnly? OpinionIssuedOn { get; init; }
        public DateOnly? ExtensionRequestedOn { get; init; }
        public long? ReferredFromId { get; init; }
        public long? ReferredToId { get; init; }
        public string? ReferralAnswer { get; init; }
        public int RepliesServed { get; init; }
        public string? ReplyLevel { get; init; }
        public bool VisitRecorded { get; init; }
        public bool PetitionerEvaluated { get; init; }
    }

    /// <summary>A petition row joined with one of its clocks (or none).</summary>
    private sealed record PetitionWithClockRow
    {
        public required PetitionRow Petition { get; init; }
        public long? ClockId { get; init; }
        public string? Kind { get; init; }
        public DateOnly StartedOn { get; init; }
        public DateOnly DueOn { get; init; }
        public bool Provisional { get; init; }
        public string? State { get; init; }
        public DateOnly? PausedOn { get; init; }
        public int PausedDays { get; init; }
        public int ExtraDays { get; init; }
    }

    /// <summary>
    /// Loads a petition with its clocks in one statement, so both come from the same snapshot: under READ
    /// COMMITTED two statements could straddle another transaction's commit and mix its clocks with older state.
    /// </summary>
    public Task<Stored?> LoadAsync(string caseNumber, CancellationToken ct) => LoadWhereAsync("p.case_number = @Key", caseNumber, ct);

    /// <summary>A petition by its row id (a linked petition).</summary>
    public Task<Stored?> LoadAsync(long id, CancellationToken ct) => LoadWhereAsync("p.id = @Key", id, ct);

    private async Task<Stored?> LoadWhereAsync(string condition, object key, CancellationToken ct)
    {
        var rows = await session.QueryAsync<PetitionRow, ClockRow, (PetitionRow Petition, ClockRow Clock)>(
                $"""
                SELECT p.id                       AS Id,
                       p.version                  AS Version,
                       p.workflow_version         AS WorkflowVersion,
                       p.bureau_id                AS BureauId,
                       p.bureau_path              AS BureauPath,
                       p.case_number              AS CaseNumber,
                       p.stage                    AS Stage,
                       p.category                 AS Category,
                       p.review_level             AS ReviewLevel,
                       p.handling_org_id          AS HandlingOrgId,
                       p.assigned_unit_id         AS AssignedUnitId,
                       p.involved_unit_id         AS InvolvedUnitId,
                       accused.path               AS InvolvedUnitPath,
                       p.accused_unit_to_confirm  AS AccusedUnitToConfirm,
                       p.requested_extension_days AS RequestedExtensionDays,
                       p.granted_extension_days   AS GrantedExtensionDays,
                       p.served_on                AS ServedOn,
                       p.opinion_outcome          AS OpinionOutcome,
                       p.opinion_text             AS OpinionText,
                       p.satisfaction             AS Satisfaction,
                       p.leader_in_charge_id      AS LeaderInChargeId,
                       p.officer_id               AS OfficerId,
                       p.policy_id                AS PolicyId,
                       p.accepted_on              AS AcceptedOn,
                       p.opinion_issued_on        AS OpinionIssuedOn,
                       p.extension_requested_on   AS ExtensionRequestedOn,
                       p.referred_from_id         AS ReferredFromId,
                       p.referred_to_id           AS ReferredToId,
                       p.referral_answer          AS ReferralAnswer,
                       p.replies_served           AS RepliesServed,
                       p.reply_level              AS ReplyLevel,
                       p.visit_recorded           AS VisitRecorded,
                       p.petitioner_evaluated     AS PetitionerEvaluated,
                       {ClockRow.Columns}
                FROM petitions p
                LEFT JOIN organizations accused ON accused.id = p.involved_unit_id
                LEFT JOIN clocks c ON c.petition_id = p.id
                WHERE {condition}
                ORDER BY c.id
                """,
            new { Key = key },
            (petition, clock) => (petition, clock),
            splitOn: "ClockId",
            ct);
        if (rows.Count == 0) return null;

        var row = rows[0].Petition;
        var petition = Petition.Restore(
            new PetitionState(
                row.CaseNumber, Codes.Parse<Stage>(row.Stage), Codes.Parse<Category>(row.Category), Codes.Parse<ReviewLevel>(row.ReviewLevel),
                row.HandlingOrgId, row.AssignedUnitId, row.InvolvedUnitId, row.RequestedExtensionDays, row.GrantedExtensionDays, row.ServedOn,
                row.OpinionOutcome is null ? null : new Opinion(row.OpinionOutcome, row.OpinionText ?? ""),
                row.Satisfaction is null ? null : Codes.Parse<Satisfaction>(row.Satisfaction),
                row.LeaderInChargeId, row.InvolvedUnitPath, row.AccusedUnitToConfirm)
            {
                OfficerId = row.OfficerId,
                AcceptedOn = row.AcceptedOn,
                OpinionIssuedOn = row.OpinionIssuedOn,
                ExtensionRequestedOn = row.ExtensionRequestedOn,
                ReferredFromId = row.ReferredFromId,
                ReferredToId = row.ReferredToId,
                ReferralAnswer = row.ReferralAnswer is null ? null : Codes.Parse<ReferralAnswer>(row.ReferralAnswer),
                RepliesServed = row.RepliesServed,
                ReplyLevel = row.ReplyLevel is null ? null : Codes.Parse<ReviewLevel>(row.ReplyLevel),
                VisitRecorded = row.VisitRecorded,
                PetitionerEvaluated = row.PetitionerEvaluated,
            },
            rows.Where(r => r.Clock?.ClockId is not null).Select(r => r.Clock.ToClock()));
        return new Stored(row.Id, row.Version, row.WorkflowVersion, row.BureauId, row.BureauPath, row.PolicyId, petition);
    }

    /// <summary>Writes the petition's state if nobody changed it since it was loaded; otherwise the action is refused
    /// as a conflict and nothing of it is written.</summary>
    public async Task SaveAsync(Stored stored, CancellationToken ct)
    {
        await reports.BeforeChangeAsync(stored.Id, stored.Version, ct);
        var petition = stored.Petition;
        var saved = await session.ScalarAsync<int?>(session.Dialect.UpdateReturning(
            """
            UPDATE petitions
            SET stage                    = @Stage,
                review_level             = @ReviewLevel,
                handling_org_id          = @HandlingOrganizationId,
                assigned_unit_id         = @AssignedUnitId,
                requested_extension_days = @RequestedExtensionDays,
                granted_extension_days   = @GrantedExtensionDays,
                served_on                = @ServedOn,
                opinion_outcome          = @OpinionOutcome,
                opinion_text             = @OpinionText,
                satisfaction             = @Satisfaction,
                leader_in_charge_id      = @LeaderInChargeId,
                officer_id               = @OfficerId,
                accepted_on              = @AcceptedOn,
                opinion_issued_on        = @OpinionIssuedOn,
                extension_requested_on   = @ExtensionRequestedOn,
                referred_to_id           = @ReferredToId,
                referral_answer          = @ReferralAnswer,
                replies_served           = @RepliesServed,
                reply_level              = @ReplyLevel,
                visit_recorded           = @VisitRecorded,
                petitioner_evaluated     = @PetitionerEvaluated,
                involved_unit_id         = @InvolvedUnitId,
                accused_unit_to_confirm  = @AccusedUnitToConfirm,
                version                  = version + 1
            """,
            """
            WHERE id = @Id
              AND version = @Version
            """,
            "version"),
            new
            {
                Stage = Codes.Of(petition.Stage),
                ReviewLevel = Codes.Of(petition.Level),
                petition.HandlingOrganizationId,
                petition.AssignedUnitId,
                petition.RequestedExtensionDays,
                petition.GrantedExtensionDays,
                petition.ServedOn,
                OpinionOutcome = petition.Opinion?.Outcome,
                OpinionText = petition.Opinion?.Text,
                Satisfaction = petition.Satisfaction is { } satisfaction ? Codes.Of(satisfaction) : null,
                petition.LeaderInChargeId,
                petition.OfficerId,
                petition.AcceptedOn,
                petition.OpinionIssuedOn,
                petition.ExtensionRequestedOn,
                petition.ReferredToId,
                ReferralAnswer = petition.ReferralAnswer is { } answer ? Codes.Of(answer) : null,
                petition.RepliesServed,
                ReplyLevel = petition.ReplyLevel is { } level ? Codes.Of(level) : null,
                petition.VisitRecorded,
                petition.PetitionerEvaluated,
                petition.InvolvedUnitId,
                petition.AccusedUnitToConfirm,
                stored.Id,
                stored.Version,
            },
            ct);
        if (saved is null)
            throw new ConcurrencyConflictException($"Petition {petition.CaseNumber} was changed by someone else meanwhile; reload it and try again.");
        await SaveClocksAsync(stored.Id, petition, ct);
    }

    private Task InsertClockAsync(long petitionId, Clock clock, CancellationToken ct) =>
        session.WriteAsync(
            """
            INSERT INTO clocks (petition_id, kind, started_on, due_on, provisional, state, next_check_on, organization_id)
            VALUES (@PetitionId, @Kind, @StartedOn, @DueOn, @Provisional, @State, @NextCheckOn, @OrganizationId)
            """,
            new
            {
                PetitionId = petitionId, Kind = Codes.Of(clock.Kind), clock.StartedOn, clock.DueOn, clock.Provisional, State = Codes.Of(clock.State), clock.NextCheckOn,
                clock.OrganizationId,
            },
            ct);

    private async Task SaveClocksAsync(long petitionId, Petition petition, CancellationToken ct)
    {
        foreach (var clock in petition.Clocks.Where(c => c.Id is null)) await InsertClockAsync(petitionId, clock, ct);
        foreach (var clock in petition.Clocks.Where(c => c.Id is not null && c.Changed))
        {
            await session.WriteAsync(
                """
                UPDATE clocks
                SET due_on        = @DueOn,
                    provisional   = @Provisional,
                    state         = @State,
                    paused_on     = @PausedOn,
                    paused_days   = @PausedDays,
                    extra_days    = @ExtraDays,
                    stopped_on    = @StoppedOn,
                    warned        = @Warned,
                    next_check_on = @NextCheckOn
                WHERE id = @Id
                """,
                new
                {
                    clock.Id,
                    clock.DueOn,
                    clock.Provisional,
                    State = Codes.Of(clock.State),
                    clock.PausedOn,
                    clock.PausedDays,
                    clock.ExtraDays,
                    clock.StoppedOn,
                    Warned = clock.Warned is { } warned ? Codes.Of(warned) : null,
                    clock.NextCheckOn,
                },
                ct);
        }
    }

    public async Task<long> AddNoticeAsync(long petitionId, NoticeKind kind, DateTimeOffset at, Actor actor, string details, CancellationToken ct) =>
        await session.ScalarAsync<long>(
            session.Dialect.InsertReturningId(
                "INSERT INTO notices (petition_id, kind, issued_at, issued_by, details)",
                "VALUES (@PetitionId, @Kind, @IssuedAt, @IssuedBy, @Details)"),
            new { PetitionId = petitionId, Kind = Codes.Of(kind), IssuedAt = at, IssuedBy = actor.UserId, Details = details },
            ct);

    /// <summary>
    /// A referred petition's own case at the subordinate bureau: the same matter and people, registered there today
    /// with its intake clock and the 5-working-day referral-objection clock, on the same workflow version. Its query code
    /// is never handed out; the petitioner follows the original case. The category, the accused unit (and whether the
    /// office must still confirm it) and the personal data travel with the matter, so its protection does too.
    /// </summary>
    public async Task<(long Id, string CaseNumber)> CopyToBureauAsync(
        long sourceId, Organization bureau, Actor actor, DateTimeOffset now, (long? Id, DeadlinePolicy Rules) policy, HolidayCalendar calendar, CancellationToken ct)
    {
        var today = ShanghaiTime.DateOf(now);
        var caseNumber = await NextCaseNumberAsync(new Bureau(bureau.Id, bureau.Code, bureau.Name, bureau.Path), today.Year, ct);
        var id = await session.ScalarAsync<long>(
            session.Dialect.InsertReturningId(
                """
                INSERT INTO petitions (
                    case_number, bureau_id, bureau_path, channel, category, stage, subject, content, people_count,
                    involved_unit, involved_officer, involved_unit_id, accused_unit_to_confirm, received_at, registered_at,
                    registered_by, query_code_hash, workflow_version, handling_org_id, first_petition, policy_id, referred_from_id)
                """,
                """
                SELECT @CaseNumber, @BureauId, @BureauPath, channel, category, @Stage, subject, content, people_count,
                       involved_unit, involved_officer, involved_unit_id, accused_unit_to_confirm, received_at, @Now,
                       @UserId, @QueryCodeHash, workflow_version, @BureauId, first_petition, @PolicyId, id
                FROM petitions
                WHERE id = @SourceId
                """),
            new
            {
                CaseNumber = caseNumber,
                BureauId = bureau.Id,
                BureauPath = bureau.Path,
                Stage = Codes.Of(Stage.Registered),
                Now = now,
                actor.UserId,
                QueryCodeHash = protector.Hash(HashPurpose.QueryCode, $"{caseNumber}:{QueryCode.New()}"),
                SourceId = sourceId,
                PolicyId = policy.Id,
            },
            ct);
        reports.Inserted(id);
        await session.WriteAsync(
            """
            INSERT INTO petition_people (petition_id, ordinal, role, name, id_number_cipher, id_number_hash, phone, address)
            SELECT @Id, ordinal, role, name, id_number_cipher, id_number_hash, phone, address
            FROM petition_people
            WHERE petition_id = @SourceId
            """,
            new { Id = id, SourceId = sourceId }, ct);
        await AppendEventAsync(id, now, "register", Stage.Registered, actor, comment: "refer", isPublic: false, ct);
        await InsertClockAsync(id, Clock.Start(ClockKind.Intake, today, policy.Rules, calendar), ct);
        await InsertClockAsync(id, Clock.Start(ClockKind.ReferralObjection, today, policy.Rules, calendar), ct);
        return (id, caseNumber);
    }

    /// <summary>Most referrals a matter can pass through: province, city, county.</summary>
    private const int MaxReferrals = 4;

    /// <summary>
    /// The cases of one matter, from the petition the petitioner holds the query code of down to the case that
    /// handles it now: each referral the matter still follows (not objected to) adds the case it went to.
    /// </summary>
    public async Task<IReadOnlyList<long>> MatterAsync(long petitionId, CancellationToken ct)
    {
        var cases = new List<long> { petitionId };
        while (cases.Count <= MaxReferrals
               && await session.ScalarAsync<long?>("SELECT referred_to_id FROM petitions WHERE id = @Id", new { Id = cases[^1] }, ct) is { } next)
            cases.Add(next);
        return cases;
    }

    /// <summary>The latest triage decision of a petition (accept, decline, …), if it was triaged.</summary>
    public Task<string?> LatestTriageAsync(long petitionId, CancellationToken ct) =>
        session.ScalarAsync<string>(
            session.Dialect.Limit(
                """
                SELECT action
                FROM petition_events
                WHERE petition_id = @Id
                  AND action IN ('accept', 'decline', 'divert', 'forward', 'refer', 'mark-duplicate', 'object-to-referral')
                ORDER BY id DESC
                """,
                "1"),
            new { Id = petitionId }, ct);

    /// <summary>One satisfaction given about one served reply, with the comment that came with it.</summary>
    public Task AddEvaluationAsync(long petitionId, Evaluation evaluation, string? comment, DateTimeOffset at, Actor actor, CancellationToken ct) =>
        session.WriteAsync(
            """
            INSERT INTO evaluations (petition_id, reply, level, source, satisfaction, comment, recorded_at, recorded_by)
            VALUES (@PetitionId, @Reply, @Level, @Source, @Satisfaction, @Comment, @RecordedAt, @RecordedBy)
            """,
            new
            {
                PetitionId = petitionId,
                evaluation.Reply,
                Level = Codes.Of(evaluation.Level),
                Source = Codes.Of(evaluation.Source),
                Satisfaction = Codes.Of(evaluation.Satisfaction),
                Comment = comment,
                RecordedAt = at,
                RecordedBy = actor.UserId,
            },
            ct);

    /// <summary>A version of an opinion as it was submitted: a handling unit's draft awaiting review (no decision), or a
    /// review's or re-review's decision (<paramref name="decision"/> "decided").</summary>
    public Task AddOpinionVersionAsync(long petitionId, ReviewLevel level, Opinion opinion, DateTimeOffset at, Actor actor, string? decision, CancellationToken ct) =>
        session.WriteAsync(
            """
            INSERT INTO opinion_versions (petition_id, level, outcome, body, submitted_at, submitted_by, decision, decided_at, decided_by)
            VALUES (@PetitionId, @Level, @Outcome, @Text, @At, @UserId, @Decision, @DecidedAt, @DecidedBy)
            """,
            new
            {
                PetitionId = petitionId,
                Level = Codes.Of(level),
                opinion.Outcome,
                opinion.Text,
                At = at,
                actor.UserId,
                Decision = decision,
                DecidedAt = decision is null ? (DateTimeOffset?)null : at,
                DecidedBy = decision is null ? null : actor.UserId,
            },
            ct);

    /// <summary>The reviewer's decision on the draft awaiting review: "approved", or "returned" with the reason.</summary>
    public Task DecideOpinionVersionAsync(long petitionId, string decision, string? reason, DateTimeOffset at, Actor actor, CancellationToken ct) =>
        session.WriteAsync(
            """
            UPDATE opinion_versions
            SET decision   = @Decision,
                reason     = @Reason,
                decided_at = @At,
                decided_by = @UserId
            WHERE petition_id = @PetitionId
              AND decision IS NULL
            """,
            new { PetitionId = petitionId, Decision = decision, Reason = reason, At = at, actor.UserId }, ct);

    /// <summary>A notification for a unit or office, sent after the transaction by the outbox dispatcher.</summary>
    public Task AddOutboxAsync(long petitionId, long recipientOrgId, string kind, DateTimeOffset at, string details, CancellationToken ct) =>
        session.WriteAsync(
            """
            INSERT INTO outbox (created_at, kind, petition_id, recipient_org_id, details)
            VALUES (@CreatedAt, @Kind, @PetitionId, @RecipientOrgId, @Details)
            """,
            new { CreatedAt = at, Kind = kind, PetitionId = petitionId, RecipientOrgId = recipientOrgId, Details = details }, ct);

    public Task LinkAsync(long petitionId, long linkedPetitionId, string kind, CancellationToken ct) =>
        session.WriteAsync(
            """
            INSERT INTO petition_links (petition_id, linked_petition_id, kind)
            VALUES (@PetitionId, @LinkedPetitionId, @Kind)
            """,
            new { PetitionId = petitionId, LinkedPetitionId = linkedPetitionId, Kind = kind }, ct);

    private object PersonRow(long petitionId, int ordinal, string role, Person person) => new
    {
        PetitionId = petitionId,
        Ordinal = ordinal,
        Role = role,
        person.Name,
        IdNumberCipher = person.IdNumber is { } id ? protector.Encrypt(id.Value) : null,
        IdNumberHash = person.IdNumber is { } idForHash ? protector.Hash(HashPurpose.IdNumber, idForHash.Value) : null,
        person.Phone,
        person.Address,
    };
}
