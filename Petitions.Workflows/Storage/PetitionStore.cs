using Petitions.Domain;
using Petitions.Workflows.Privacy;

namespace Petitions.Workflows.Storage;

/// <summary>The bureau a petition belongs to: its id, its code (in case numbers) and its path in the tree.</summary>
public sealed record Bureau(long Id, string Code, string Name, string Path);

/// <summary>
/// Writes and reads petitions. Registration writes the petition, its people, the first history entry and the
/// intake clock: the rows the benchmark's raw floor writes too.
/// </summary>
public sealed class PetitionStore(DbSession session, PersonalDataProtector protector)
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

    /// <summary>The next case number of a bureau for a year, inside the caller's transaction.</summary>
    public async Task<string> NextCaseNumberAsync(Bureau bureau, int year, CancellationToken ct)
    {
        var sequence = await session.ScalarAsync<long>(session.Dialect.NextCaseSequence, new { BureauId = bureau.Id, Year = year }, ct);
        return CaseNumber.Format(bureau.Code, year, sequence);
    }

    public async Task<long> InsertRegisteredAsync(
        Petition petition, Bureau bureau, string queryCodeHash, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var intake = petition.Intake;
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
                    query_code_hash)
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
                    @QueryCodeHash)
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
            },
            ct);

        var people = intake.Representatives
            .Select((person, i) => PersonRow(petitionId, i + 1, "representative", person))
            .Prepend(PersonRow(petitionId, 0, "petitioner", intake.Petitioner));
        await session.ExecuteAsync(
            """
            INSERT INTO petition_people (petition_id, ordinal, role, name, id_number_cipher, id_number_hash, phone, address)
            VALUES (@PetitionId, @Ordinal, @Role, @Name, @IdNumberCipher, @IdNumberHash, @Phone, @Address)
            """,
            people, ct);

        await AppendEventAsync(petitionId, now, "register", petition.Stage, actor, comment: null, isPublic: true, ct);
        await StartClockAsync(petitionId, ClockKind.Intake, ShanghaiTime.DateOf(intake.ReceivedAt), petition.IntakeDeadline, ct);
        return petitionId;
    }

    public Task AppendEventAsync(
        long petitionId, DateTimeOffset at, string action, Stage stage, Actor actor, string? comment, bool isPublic, CancellationToken ct) =>
        session.ExecuteAsync(
            """
            INSERT INTO petition_events (petition_id, occurred_at, action, stage, actor_user_id, actor_organization_id, comment, is_public)
            VALUES (@PetitionId, @OccurredAt, @Action, @Stage, @ActorUserId, @ActorOrganizationId, @Comment, @IsPublic)
            """,
            new
            {
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

    public Task StartClockAsync(long petitionId, ClockKind kind, DateOnly startedOn, Deadline deadline, CancellationToken ct) =>
        session.ExecuteAsync(
            """
            INSERT INTO clocks (petition_id, kind, started_on, due_on, provisional, state)
            VALUES (@PetitionId, @Kind, @StartedOn, @DueOn, @Provisional, 'running')
            """,
            new
            {
                PetitionId = petitionId,
                Kind = Codes.Of(kind),
                StartedOn = startedOn,
                DueOn = deadline.Due,
                deadline.Provisional,
            },
            ct);

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
