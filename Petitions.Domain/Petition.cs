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

/// <summary>What the store holds of a petition's workflow state, to restore the aggregate from.</summary>
public sealed record PetitionState(
    string CaseNumber,
    Stage Stage,
    Category Category,
    ReviewLevel Level,
    long HandlingOrganizationId,
    long? AssignedUnitId,
    long? InvolvedUnitId,
    int? RequestedExtensionDays,
    int GrantedExtensionDays,
    DateOnly? ServedOn,
    Opinion? Opinion,
    Satisfaction? Satisfaction,
    long? LeaderInChargeId = null,
    string? InvolvedUnitPath = null,
    bool AccusedUnitToConfirm = false);

/// <summary>A drafted or decided opinion: its outcome code (support/explain/reject, or uphold/revise/order-rehandling
/// on review) and its text.</summary>
public sealed record Opinion(string Outcome, string Text);

/// <summary>An organization as the rules see it: which unit, under which bureau, and its path of codes from the root
/// (<c>/330000/330700/330799/</c>), by which being "at or under" another is decided.</summary>
public sealed record OrganizationRef(long Id, long? ParentId, OrganizationKind Kind, string Name, string Path)
{
    /// <summary>Whether this organization is <paramref name="other"/> or one below it.</summary>
    public bool IsAtOrUnder(string otherPath) => Path.StartsWith(otherPath, StringComparison.Ordinal);
}

/// <summary>
/// The petition aggregate. Each rule is a method that checks its conditions and throws
/// <see cref="RuleViolationException"/> when they do not hold; there are no silent no-ops. Which action may start
/// from which stage is the workflow definition's to say; <see cref="RequireStage"/> refuses any other.
/// </summary>
public sealed class Petition
{
    /// <summary>A group visit chooses at most five representatives (TL2022 Art 20 ¶3).</summary>
    public const int MaxRepresentatives = 5;

    /// <summary>An extension adds at most 30 days, once (TL2022 Art 34).</summary>
    public const int MaxExtensionDays = 30;

    /// <summary>How far a stated receipt time may lie ahead of the server clock (desk clocks drift).</summary>
    public static readonly TimeSpan ReceiptClockTolerance = TimeSpan.FromMinutes(5);

    private readonly List<Clock> _clocks;

    private Petition(PetitionState state, IEnumerable<Clock> clocks, PetitionIntake? intake)
    {
        CaseNumber = state.CaseNumber;
        Stage = state.Stage;
        Category = state.Category;
        Level = state.Level;
        HandlingOrganizationId = state.HandlingOrganizationId;
        AssignedUnitId = state.AssignedUnitId;
        InvolvedUnitId = state.InvolvedUnitId;
        InvolvedUnitPath = state.InvolvedUnitPath;
        AccusedUnitToConfirm = state.AccusedUnitToConfirm;
        RequestedExtensionDays = state.RequestedExtensionDays;
        GrantedExtensionDays = state.GrantedExtensionDays;
        ServedOn = state.ServedOn;
        Opinion = state.Opinion;
        Satisfaction = state.Satisfaction;
        LeaderInChargeId = state.LeaderInChargeId;
        Intake = intake;
        _clocks = clocks.ToList();
    }

    public string CaseNumber { get; }
    public Stage Stage { get; private set; }
    public Category Category { get; }
    public ReviewLevel Level { get; private set; }

    /// <summary>The organization whose office and leaders decide now: the bureau, or the level above it on review.</summary>
    public long HandlingOrganizationId { get; private set; }

    public long? AssignedUnitId { get; private set; }

    /// <summary>The organization the petition names (for an accusation, the accused), when it is one of ours. An
    /// accusation never reaches it or anything under it: it does not handle the matter and its users do not see it.</summary>
    public long? InvolvedUnitId { get; private set; }

    /// <summary>The path of <see cref="InvolvedUnitId"/> in the tree, for deciding what lies under it.</summary>
    public string? InvolvedUnitPath { get; private set; }

    /// <summary>An accusation whose typed accused unit resembles one of our organizations: until the office confirms the
    /// unit or states that none is meant, it goes to no unit.</summary>
    public bool AccusedUnitToConfirm { get; private set; }

    public int? RequestedExtensionDays { get; private set; }
    public int GrantedExtensionDays { get; private set; }
    public DateOnly? ServedOn { get; private set; }
    public Opinion? Opinion { get; private set; }
    public Satisfaction? Satisfaction { get; private set; }

    /// <summary>The leader who took personal charge of the petition (包案), if one did.</summary>
    public long? LeaderInChargeId { get; private set; }

    public IReadOnlyList<Clock> Clocks => _clocks;

    /// <summary>What was received, on a petition just registered; null on one restored from the store.</summary>
    public PetitionIntake? Intake { get; }

    /// <summary>When the intake notice is due: 15 calendar days from receipt under the national policy.</summary>
    public Deadline IntakeDeadline =>
        _clocks.First(c => c.Kind == ClockKind.Intake) is var c ? new Deadline(c.DueOn, c.Provisional) : throw new InvalidOperationException();

    /// <summary>Registers a received petition (登记). The intake clock starts on the Shanghai date of receipt.
    /// <paramref name="involvedUnit"/> is the organization the petition names, when one was chosen;
    /// <paramref name="accusedUnitToConfirm"/> marks an accusation whose typed accused unit resembles one of ours.</summary>
    public static Petition Register(
        PetitionIntake intake, string caseNumber, long bureauId, string bureauPath, OrganizationRef? involvedUnit, bool accusedUnitToConfirm,
        DateTimeOffset now, DeadlinePolicy policy, HolidayCalendar calendar)
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
        // Recusal (TL2022 Art 28 ¶3): a bureau does not decide an accusation against itself or a level above it.
        if (intake.Category == Category.Accusation && involvedUnit is not null && bureauPath.StartsWith(involvedUnit.Path, StringComparison.Ordinal))
            throw new RuleViolationException("accused-bureau",
                $"An accusation against {involvedUnit.Name} is registered at the level above it, not by the organization it accuses.");

        var state = new PetitionState(
            caseNumber, Stage.Registered, intake.Category, ReviewLevel.Handling, bureauId, null, involvedUnit?.Id, null, 0, null, null, null,
            InvolvedUnitPath: involvedUnit?.Path, AccusedUnitToConfirm: accusedUnitToConfirm && involvedUnit is null && intake.Category == Category.Accusation);
        return new Petition(state, [Clock.Start(ClockKind.Intake, ShanghaiTime.DateOf(intake.ReceivedAt), policy, calendar)], intake);
    }

    public static Petition Restore(PetitionState state, IEnumerable<Clock> clocks) => new(state, clocks, intake: null);

    /// <summary>Refuses an action whose workflow definition does not start from the current stage.</summary>
    public void RequireStage(string action, IReadOnlyCollection<Stage> from)
    {
        if (!from.Contains(Stage))
            throw new RuleViolationException("wrong-stage", $"'{action}' cannot be done while the petition is {Codes.Of(Stage)}.");
    }

    /// <summary>Enters the stage the action led to (the runtime checks it against the definition).</summary>
    public void EnterStage(Stage stage) => Stage = stage;

    /// <summary>The open clock of a kind, if there is one.</summary>
    public Clock? OpenClock(ClockKind kind) => _clocks.LastOrDefault(c => c.Kind == kind && c.IsOpen);

    public Clock StartClock(ClockKind kind, DateOnly on, DeadlinePolicy policy, HolidayCalendar calendar)
    {
        if (OpenClock(kind) is not null)
            throw new RuleViolationException("clock-running", $"The {Codes.Of(kind)} clock is already running.");
        var clock = Clock.Start(kind, on, policy, calendar);
        _clocks.Add(clock);
        return clock;
    }

    public Clock RequireOpenClock(ClockKind kind) =>
        OpenClock(kind) ?? throw new RuleViolationException("no-clock", $"The petition has no running {Codes.Of(kind)} clock.");

    /// <summary>Assigns a handling unit (受理 or 改派). An accusation never goes to the unit it accuses (TL2022 Art 28, 30).</summary>
    public void AssignTo(OrganizationRef unit, OrganizationRef bureau)
    {
        if (unit.Kind != OrganizationKind.Unit || unit.ParentId != bureau.Id)
            throw new RuleViolationException("unit-outside-bureau", $"{unit.Name} is not a handling unit of {bureau.Name}.");
        RequireMayReceive(unit);
        if (unit.Id == AssignedUnitId)
            throw new RuleViolationException("same-unit", $"{unit.Name} already handles this petition.");
        AssignedUnitId = unit.Id;
    }

    /// <summary>Whether users of the organization at <paramref name="organizationPath"/> must stand aside: the accused
    /// organization of an accusation, and everything under it (TL2022 Art 28 ¶3, 30 ¶3).</summary>
    public bool Recuses(string organizationPath) =>
        Category == Category.Accusation && InvolvedUnitPath is not null && organizationPath.StartsWith(InvolvedUnitPath, StringComparison.Ordinal);

    /// <summary>Refuses to send the matter to an organization that may not have it: the accused or one under it, or any
    /// unit at all while the accused unit the petitioner typed waits for the office's confirmation.</summary>
    public void RequireMayReceive(OrganizationRef organization)
    {
        if (AccusedUnitToConfirm)
            throw new RuleViolationException("accused-unit-unconfirmed",
                "The accused unit the petitioner named resembles one of ours: confirm it (or state that none is meant) before the matter goes anywhere.");
        if (Recuses(organization.Path))
            throw new RuleViolationException("accused-unit", $"An accusation cannot go to the organization it accuses or one under it ({organization.Name}).");
    }

    /// <summary>The office settles which of our organizations an accusation accuses: <paramref name="unit"/>, one under the
    /// bureau, or none (the petitioner's words name nothing of ours). From then on the matter never reaches it.</summary>
    public void ConfirmAccusedUnit(OrganizationRef? unit, OrganizationRef bureau)
    {
        if (Category != Category.Accusation)
            throw new RuleViolationException("not-an-accusation", "Only an accusation has an accused unit to confirm.");
        if (unit is not null && (unit.Id == bureau.Id || !unit.IsAtOrUnder(bureau.Path)))
            throw new RuleViolationException("accused-outside-bureau",
                $"{unit.Name} is not below {bureau.Name}: an accusation against the bureau itself or another one is for the level above (forward it).");
        InvolvedUnitId = unit?.Id;
        InvolvedUnitPath = unit?.Path;
        AccusedUnitToConfirm = false;
    }

    /// <summary>The handling unit gives the petition back to the office (wrong assignment).</summary>
    public void ReturnToOffice() => AssignedUnitId = null;

    /// <summary>Whether an extension may still be asked for: once per handling, one request at a time.</summary>
    public bool MayRequestExtension => GrantedExtensionDays == 0 && RequestedExtensionDays is null;

    public bool HasPendingExtension => RequestedExtensionDays is not null;

    public void RequestExtension(int days)
    {
        if (GrantedExtensionDays > 0)
            throw new RuleViolationException("extension-used", "The handling period has already been extended once (TL2022 Art 34).");
        if (RequestedExtensionDays is not null)
            throw new RuleViolationException("extension-pending", "An extension request is already waiting for a leader.");
        if (days is < 1 or > MaxExtensionDays)
            throw new RuleViolationException("extension-days", $"An extension is 1 to {MaxExtensionDays} days.");
        RequestedExtensionDays = days;
    }

    /// <summary>A leader approves the pending extension; returns the days granted.</summary>
    public int ApproveExtension()
    {
        var days = RequestedExtensionDays ?? throw new RuleViolationException("no-extension-request", "No extension has been requested.");
        GrantedExtensionDays = days;
        RequestedExtensionDays = null;
        return days;
    }

    public void RejectExtension()
    {
        if (!HasPendingExtension) throw new RuleViolationException("no-extension-request", "No extension has been requested.");
        RequestedExtensionDays = null;
    }

    /// <summary>The handling unit's draft, or a review's decision: the text the written reply will carry.</summary>
    public void RecordOpinion(string outcome, string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new RuleViolationException("empty-opinion", "An opinion states its reasons.");
        Opinion = new Opinion(outcome, text);
    }

    /// <summary>A leader takes personal charge of the petition (包案); another leader may take it over.</summary>
    public void TakeCharge(long leaderUserId)
    {
        if (IsInChargeOf(leaderUserId))
            throw new RuleViolationException("already-in-charge", "You are already in charge of this petition.");
        LeaderInChargeId = leaderUserId;
    }

    public bool IsInChargeOf(long leaderUserId) => LeaderInChargeId == leaderUserId;

    /// <summary>The petitioner's satisfaction, from the return visit or the online evaluation: given once.</summary>
    public void RecordSatisfaction(Satisfaction satisfaction)
    {
        if (Satisfaction is not null) throw new RuleViolationException("already-evaluated", "The petitioner's satisfaction has already been recorded.");
        Satisfaction = satisfaction;
    }

    /// <summary>Records the service of the written reply and decides where the petition goes next: a first reply
    /// awaits the return visit, a review opinion closes (the re-review window opens), a re-review opinion is final. A
    /// reply is served neither in the future nor before the day it was issued (DOMAIN.md §2: dates are when things
    /// happened, never before the step they follow); that day is when its decision clock stopped.</summary>
    public Stage RecordService(DateOnly servedOn, DateOnly today)
    {
        if (servedOn > today) throw new RuleViolationException("served-in-future", "Service cannot be recorded for a future date.");
        var issuedOn = _clocks.Where(c => c.Kind is ClockKind.Handling or ClockKind.ReviewDecision or ClockKind.RereviewDecision).Max(c => c.StoppedOn);
        if (servedOn < issuedOn)
            throw new RuleViolationException("served-before-issued", $"The reply was issued on {issuedOn:yyyy-MM-dd}; it cannot have been served before.");
        ServedOn = servedOn;
        return Level switch
        {
            ReviewLevel.Handling => Stage.ReturnVisit,
            ReviewLevel.Review => Stage.Closed,
            _ => Stage.Final,
        };
    }

    /// <summary>The petitioner asks the level above to review (复查) or re-review (复核), within the window that the
    /// service of the last opinion opened (TL2022 Art 35, 36).</summary>
    public void RequestHigherReview(ReviewLevel level, OrganizationRef reviewer, DateOnly today)
    {
        if (RequestWindow(level) is not { } clock)
            throw new RuleViolationException("no-review-window",
                level == ReviewLevel.Review ? "Review can only be requested after a handling opinion has been served." : "Re-review can only be requested after a review opinion has been served.");
        if (today > clock.DueOn)
            throw new RuleViolationException("review-window-closed",
                $"The {(level == ReviewLevel.Review ? "review" : "re-review")} request window ended on {clock.DueOn:yyyy-MM-dd}, 30 days after service.");
        Level = level;
        HandlingOrganizationId = reviewer.Id;
    }

    /// <summary>Whether the petitioner may still ask for <paramref name="level"/> today.</summary>
    public bool MayRequestHigherReview(ReviewLevel level, DateOnly today) => RequestWindow(level) is { } clock && today <= clock.DueOn;

    /// <summary>The open window for asking for <paramref name="level"/>: only after a served opinion of the level below.</summary>
    private Clock? RequestWindow(ReviewLevel level)
    {
        var below = level == ReviewLevel.Review ? ReviewLevel.Handling : ReviewLevel.Review;
        return Level == below ? OpenClock(level == ReviewLevel.Review ? ClockKind.ReviewRequest : ClockKind.RereviewRequest) : null;
    }

    /// <summary>A review that orders re-handling sends the petition back to its bureau at the first level.</summary>
    public void OrderRehandling(long bureauId)
    {
        Level = ReviewLevel.Handling;
        HandlingOrganizationId = bureauId;
        RequestedExtensionDays = null;
        GrantedExtensionDays = 0;
    }

    /// <summary>A closed petition whose request window passed unused becomes final (终结).</summary>
    public void RequireMissedWindow(DateOnly today)
    {
        var window = OpenRequestWindow
            ?? throw new RuleViolationException("no-review-window", "Only a served opinion whose review window has passed can become final.");
        if (today <= window.DueOn)
            throw new RuleViolationException("review-window-open", $"The petitioner may still ask for review until {window.DueOn:yyyy-MM-dd}.");
    }

    public bool HasMissedWindow(DateOnly today) => OpenRequestWindow is { } window && today > window.DueOn;

    private Clock? OpenRequestWindow => OpenClock(ClockKind.RereviewRequest) ?? OpenClock(ClockKind.ReviewRequest);
}
