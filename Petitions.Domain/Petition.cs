namespace Petitions.Domain;

/// <summary>A petitioner or a representative of a group visit. Personal data: never logged.</summary>
public sealed record Person(string Name, IdNumber? IdNumber, string? Phone, string? Address)
{
    // Records print every member; this one must not leak personal data into logs.
    public override string ToString() => "Person { (personal data withheld) }";
}

/// <summary>What the reception desk (or an online submission) records about a petition as it arrives.</summary>
public sealed record PetitionIntake(
    Channel Channel,
    Category Category,
    Person Petitioner,
    IReadOnlyList<Person> Representatives,
    int PeopleCount,
    string Subject,
    string Content,
    string? InvolvedUnit,
    string? InvolvedOfficer,
    DateTimeOffset ReceivedAt);

/// <summary>
/// The petition aggregate. Each transition is a method that checks its rules and throws
/// <see cref="RuleViolationException"/> when they do not hold; there are no silent no-ops.
/// </summary>
public sealed class Petition
{
    /// <summary>A group visit chooses at most five representatives (TL2022 Art 20 ¶3).</summary>
    public const int MaxRepresentatives = 5;

    /// <summary>How far a stated receipt time may lie ahead of the server clock (desk clocks drift).</summary>
    public static readonly TimeSpan ReceiptClockTolerance = TimeSpan.FromMinutes(5);

    private Petition(string caseNumber, PetitionIntake intake, Stage stage, Deadline intakeDeadline)
    {
        CaseNumber = caseNumber;
        Intake = intake;
        Stage = stage;
        IntakeDeadline = intakeDeadline;
    }

    public string CaseNumber { get; }
    public PetitionIntake Intake { get; }
    public Stage Stage { get; private set; }

    /// <summary>When the intake notice is due: 15 calendar days from receipt under the national policy.</summary>
    public Deadline IntakeDeadline { get; }

    /// <summary>Registers a received petition (登记). The intake clock starts on the Shanghai date of receipt.</summary>
    public static Petition Register(
        PetitionIntake intake, string caseNumber, DateTimeOffset now, DeadlinePolicy policy, HolidayCalendar calendar)
    {
        if (intake.Representatives.Count > MaxRepresentatives)
            throw new RuleViolationException("representatives-limit", $"A group visit has at most {MaxRepresentatives} representatives.");
        if (intake.PeopleCount < 1)
            throw new RuleViolationException("people-count", "A petition is brought by at least one person.");
        if (intake.Representatives.Count > intake.PeopleCount)
            throw new RuleViolationException("representatives-limit", "There cannot be more representatives than people.");
        if (intake.ReceivedAt > now + ReceiptClockTolerance)
            throw new RuleViolationException("received-in-future", "A petition cannot be received in the future.");
        if (string.IsNullOrWhiteSpace(intake.Subject) || string.IsNullOrWhiteSpace(intake.Content))
            throw new RuleViolationException("empty-matter", "A petition states its subject and content.");

        var deadline = policy.Compute(ClockKind.Intake, ShanghaiTime.DateOf(intake.ReceivedAt), calendar);
        return new Petition(caseNumber, intake, Stage.Registered, deadline);
    }
}
