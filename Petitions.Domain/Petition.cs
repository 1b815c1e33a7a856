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
    DateTimeOffset ReceivedAt,
    long? ReceivingLeaderId = null);

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
    bool AccusedUnitToConfirm = false)
{
    /// <summary>The officer (承办人) of the handling unit the petition is assigned to, when one is.</summary>
    public long? OfficerId { get; init; }

    /// <summary>The acceptance day (受理日): the handling period runs from it, whoever handles the petition.</summary>
    public DateOnly? AcceptedOn { get; init; }

    /// <summary>When the opinion now on record was approved or decided: its service cannot be dated earlier.</summary>
    public DateOnly? OpinionIssuedOn { get; init; }

    public DateOnly? ExtensionRequestedOn { get; init; }

    /// <summary>On a referred case: the referring petition (its row id), and how this bureau answered the referral.</summary>
    public long? ReferredFromId { get; init; }

    public ReferralAnswer? ReferralAnswer { get; init; }

    /// <summary>On a referring petition waiting in <see cref="Stage.Referred"/>: the case it went to (row id).</summary>
    public long? ReferredToId { get; init; }

    /// <summary>How many written replies were served; the last one's level, and who has evaluated it.</summary>
    public int RepliesServed { get; init; }

    public ReviewLevel? ReplyLevel { get; init; }
    public bool VisitRecorded { get; init; }
    public bool PetitionerEvaluated { get; init; }
}

/// <summary>An earlier petition of the same person (a petitioner, co-signer or representative of either), where it
/// stands, and how alike its matter is.</summary>
public sealed record EarlierMatter(string CaseNumber, Stage Stage, double Similarity)
{
    public bool IsSameMatter => Similarity >= MatterSimilarity.SameMatter;
}

/// <summary>One satisfaction given about one served reply: by the officer at the return visit, or by the petitioner.</summary>
public sealed record Evaluation(int Reply, ReviewLevel Level, EvaluationSource Source, Satisfaction Satisfaction);

/// <summary>A drafted or decided opinion: its outcome code (support/explain/reject, or uphold/revise/order-rehandling
/// on review) and its text.</summary>
public sealed record Opinion(string Outcome, string Text);

/// <summary>A user as a candidate officer (承办人): where they work, whether they hold the handler role, whether they
/// may sign in at all.</summary>
public sealed record OfficerCandidate(long UserId, string Name, long OrganizationId, string OrganizationPath, bool Handler, bool Disabled);

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
        OfficerId = state.OfficerId;
        AcceptedOn = state.AcceptedOn;
        OpinionIssuedOn = state.OpinionIssuedOn;
        ExtensionRequestedOn = state.ExtensionRequestedOn;
        ReferredFromId = state.ReferredFromId;
        ReferralAnswer = state.ReferralAnswer;
        ReferredToId = state.ReferredToId;
        RepliesServed = state.RepliesServed;
        ReplyLevel = state.ReplyLevel;
        VisitRecorded = state.VisitRecorded;
        PetitionerEvaluated = state.PetitionerEvaluated;
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

    /// <summary>The satisfaction a report counts: of the last evaluated reply, the petitioner's own where given,
    /// else the return visit's.</summary>
    public Satisfaction? Satisfaction { get; private set; }

    /// <inheritdoc cref="PetitionState.AcceptedOn"/>
    public DateOnly? AcceptedOn { get; private set; }

    /// <inheritdoc cref="PetitionState.OpinionIssuedOn"/>
    public DateOnly? OpinionIssuedOn { get; private set; }

    public DateOnly? ExtensionRequestedOn { get; private set; }

    /// <inheritdoc cref="PetitionState.ReferredFromId"/>
    public long? ReferredFromId { get; }

    public ReferralAnswer? ReferralAnswer { get; private set; }

    /// <inheritdoc cref="PetitionState.ReferredToId"/>
    public long? ReferredToId { get; private set; }

    public int RepliesServed { get; private set; }
    public ReviewLevel? ReplyLevel { get; private set; }
    public bool VisitRecorded { get; private set; }
    public bool PetitionerEvaluated { get; private set; }

    /// <summary>The leader who took personal charge of the petition (包案), if one did.</summary>
    public long? LeaderInChargeId { get; private set; }

    /// <inheritdoc cref="PetitionState.OfficerId"/>
    public long? OfficerId { get; private set; }

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
        if (intake.ReceivingLeaderId is not null && intake.Channel != Channel.Visit)
            throw new RuleViolationException("reception-day-visit", "A leader receives visitors on a reception day (TL2022 Art 18): its petitions come by visit.");
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
        var clock = Clock.Start(kind, on, policy, calendar, HandlingOrganizationId);
        _clocks.Add(clock);
        return clock;
    }

    public Clock RequireOpenClock(ClockKind kind) =>
        OpenClock(kind) ?? throw new RuleViolationException("no-clock", $"The petition has no running {Codes.Of(kind)} clock.");

    /// <summary>
    /// Dates an action by when it happened, not when it is entered: never in the future, never before the step it
    /// follows (<paramref name="previousStep"/> on <paramref name="notBefore"/>).
    /// </summary>
    public static void RequireDate(DateOnly on, DateOnly today, DateOnly notBefore, string previousStep)
    {
        if (on > today)
            throw new RuleViolationException("date-in-future", $"{on:yyyy-MM-dd} is in the future.");
        if (on < notBefore)
            throw new RuleViolationException("date-before-previous-step", $"{on:yyyy-MM-dd} is before {previousStep} on {notBefore:yyyy-MM-dd}.");
    }

    /// <summary>
    /// Accepts the petition (受理) and assigns its handling unit, on the day it was accepted. One acceptance, one handling
    /// period: back from the office while its handling period runs, the petition is only assigned again, and the
    /// period keeps its acceptance day. The same person's same matter is not accepted again while it is still being
    /// handled (TL2022 Art 19 ¶3) or once final (Art 36 ¶3), unless the office states why it is a different matter.
    /// Returns whether this was the acceptance (a handling period starts, the petitioner is told).
    /// </summary>
    public bool Accept(
        OrganizationRef unit, OrganizationRef bureau, DateOnly acceptedOn, DateOnly today, IReadOnlyList<EarlierMatter> earlier, string? differentMatter)
    {
        var intake = _clocks.LastOrDefault(c => c.Kind == ClockKind.Intake);
        RequireDate(acceptedOn, today, intake?.StartedOn ?? acceptedOn, "the day the petition reached the office");
        var accepting = OpenClock(ClockKind.Handling) is null;
        if (accepting && string.IsNullOrWhiteSpace(differentMatter)) RefuseRepeat(earlier);
        AssignTo(unit, bureau);
        if (accepting) AcceptedOn = acceptedOn;
        return accepting;
    }

    /// <summary>Whether a petition in <paramref name="stage"/> is still being dealt with (not closed, not final).</summary>
    public static bool InProgress(Stage stage) => stage is not (Stage.Closed or Stage.Final);

    private static void RefuseRepeat(IEnumerable<EarlierMatter> earlier)
    {
        foreach (var same in earlier.Where(e => e.IsSameMatter).OrderByDescending(e => e.Similarity))
        {
            if (same.Stage == Stage.Final)
                throw new RuleViolationException("repeat-after-final",
                    $"The same matter of the same person was decided finally in {same.CaseNumber}: it is not accepted again (TL2022 Art 36 ¶3). " +
                    "Mark this petition as a duplicate of it (mark-duplicate), or state why it is a different matter.", same.CaseNumber);
            if (InProgress(same.Stage))
                throw new RuleViolationException("repeat-in-handling",
                    $"The same matter of the same person is still being handled in {same.CaseNumber}: it is not accepted again (TL2022 Art 19 ¶3). " +
                    "Mark this petition as a duplicate of it (mark-duplicate), or state why it is a different matter.", same.CaseNumber);
        }
    }

    /// <summary>Assigns a handling unit (受理 or 改派). An accusation never goes to the unit it accuses (TL2022 Art 28, 30).</summary>
    public void AssignTo(OrganizationRef unit, OrganizationRef bureau)
    {
        if (unit.Kind != OrganizationKind.Unit || unit.ParentId != bureau.Id)
            throw new RuleViolationException("unit-outside-bureau", $"{unit.Name} is not a handling unit of {bureau.Name}.");
        RequireMayReceive(unit);
        if (unit.Id == AssignedUnitId)
            throw new RuleViolationException("same-unit", $"{unit.Name} already handles this petition.");
        AssignedUnitId = unit.Id;
        OfficerId = null;
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
    public void ReturnToOffice()
    {
        AssignedUnitId = null;
        OfficerId = null;
    }

    /// <summary>The handling unit assigns the petition to one of its officers (承办人), or to another one of them: an
    /// enabled user of that very unit holding the handler role, while the petition is being handled there.</summary>
    public void AssignOfficer(OfficerCandidate officer)
    {
        if (Stage != Stage.InHandling || AssignedUnitId is null)
            throw new RuleViolationException("officer-not-in-handling", "An officer is assigned only while a unit handles the petition.");
        if (officer.Disabled)
            throw new RuleViolationException("officer-disabled", $"{officer.Name} is disabled and cannot handle petitions.");
        if (officer.OrganizationId != AssignedUnitId || Recuses(officer.OrganizationPath))
            throw new RuleViolationException("officer-not-in-unit", $"{officer.Name} does not work in the unit that handles this petition.");
        if (!officer.Handler)
            throw new RuleViolationException("officer-not-handler", $"{officer.Name} does not hold the handler role.");
        if (officer.UserId == OfficerId)
            throw new RuleViolationException("same-officer", $"{officer.Name} already handles this petition.");
        OfficerId = officer.UserId;
    }

    /// <summary>Whether an extension may still be asked for: once per handling, one request at a time.</summary>
    public bool MayRequestExtension => GrantedExtensionDays == 0 && RequestedExtensionDays is null;

    public bool HasPendingExtension => RequestedExtensionDays is not null;

    public void RequestExtension(int days, DateOnly today)
    {
        if (GrantedExtensionDays > 0)
            throw new RuleViolationException("extension-used", "The handling period has already been extended once (TL2022 Art 34).");
        if (RequestedExtensionDays is not null)
            throw new RuleViolationException("extension-pending", "An extension request is already waiting for a leader.");
        if (days is < 1 or > MaxExtensionDays)
            throw new RuleViolationException("extension-days", $"An extension is 1 to {MaxExtensionDays} days.");
        RequestedExtensionDays = days;
        ExtensionRequestedOn = today;
    }

    /// <summary>A leader approves the pending extension, on the day it was approved; returns the days granted.</summary>
    public int ApproveExtension(DateOnly approvedOn, DateOnly today)
    {
        var days = RequestedExtensionDays ?? throw new RuleViolationException("no-extension-request", "No extension has been requested.");
        RequireDate(approvedOn, today, ExtensionRequestedOn ?? OpenClock(ClockKind.Handling)?.StartedOn ?? approvedOn, "the extension request");
        GrantedExtensionDays = days;
        RequestedExtensionDays = null;
        ExtensionRequestedOn = null;
        return days;
    }

    public void RejectExtension()
    {
        if (!HasPendingExtension) throw new RuleViolationException("no-extension-request", "No extension has been requested.");
        RequestedExtensionDays = null;
        ExtensionRequestedOn = null;
    }

    /// <summary>The handling unit's draft: the text the written reply will carry once approved.</summary>
    public void RecordOpinion(string outcome, string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new RuleViolationException("empty-opinion", "An opinion states its reasons.");
        Opinion = new Opinion(outcome, text);
    }

    /// <summary>The draft goes back to the handling unit: its text stays on record for the unit to revise.</summary>
    public Opinion ReturnOpinion() => Opinion ?? throw new RuleViolationException("no-opinion", "There is no draft opinion to return.");

    /// <summary>The draft is approved and issued on <paramref name="today"/>.</summary>
    public Opinion ApproveOpinion(DateOnly today)
    {
        var opinion = Opinion ?? throw new RuleViolationException("no-opinion", "There is no draft opinion to approve.");
        OpinionIssuedOn = today;
        return opinion;
    }

    /// <summary>A review or re-review decides (复查、复核意见), issued on <paramref name="today"/> by the deciding organ.</summary>
    public void DecideAppeal(string outcome, string text, DateOnly today)
    {
        RecordOpinion(outcome, text);
        OpinionIssuedOn = today;
    }

    /// <summary>A leader takes personal charge of the petition (包案); another leader may take it over.</summary>
    public void TakeCharge(long leaderUserId)
    {
        if (IsInChargeOf(leaderUserId))
            throw new RuleViolationException("already-in-charge", "You are already in charge of this petition.");
        LeaderInChargeId = leaderUserId;
    }

    public bool IsInChargeOf(long leaderUserId) => LeaderInChargeId == leaderUserId;

    /// <summary>
    /// The return visit records what the petitioner told the officer about the last served reply: once per reply. It
    /// is what a report counts unless the petitioner evaluated that reply online.
    /// </summary>
    public Evaluation RecordReturnVisit(Satisfaction satisfaction)
    {
        if (ServedOn is null) throw new RuleViolationException("not-served", "A return visit follows the service of a written reply.");
        if (VisitRecorded) throw new RuleViolationException("already-visited", "The return visit about this reply has already been recorded.");
        VisitRecorded = true;
        if (!PetitionerEvaluated) Satisfaction = satisfaction;
        return new Evaluation(RepliesServed, ReplyLevel ?? Level, EvaluationSource.ReturnVisit, satisfaction);
    }

    /// <summary>Whether the petitioner may evaluate online now: a reply was served and they have not evaluated it.</summary>
    public bool MayBeEvaluated => ServedOn is not null && !PetitionerEvaluated;

    /// <summary>The petitioner's own evaluation of the last served reply: once per reply, and it is what a report counts.</summary>
    public Evaluation Evaluate(Satisfaction satisfaction)
    {
        if (ServedOn is null) throw new RuleViolationException("not-served", "The outcome can be evaluated once the written reply has been served.");
        if (PetitionerEvaluated) throw new RuleViolationException("already-evaluated", "You have already evaluated this reply.");
        PetitionerEvaluated = true;
        Satisfaction = satisfaction;
        return new Evaluation(RepliesServed, ReplyLevel ?? Level, EvaluationSource.Petitioner, satisfaction);
    }

    /// <summary>Records the service of the written reply and decides where the petition goes next: a first reply
    /// awaits the return visit, a review opinion closes (the re-review window opens), a re-review opinion is final. A
    /// reply is served neither in the future nor before the day it was issued (DOMAIN.md §2: dates are when things
    /// happened, never before the step they follow); its windows count from the date of service.</summary>
    public Stage RecordService(DateOnly servedOn, DateOnly today)
    {
        if (servedOn > today) throw new RuleViolationException("served-in-future", "Service cannot be recorded for a future date.");
        if (OpinionIssuedOn is { } issued && servedOn < issued)
            throw new RuleViolationException("served-before-issued", $"The reply was issued on {issued:yyyy-MM-dd}; it cannot have been served before.");
        ServedOn = servedOn;
        RepliesServed++;
        ReplyLevel = Level;
        VisitRecorded = false;
        PetitionerEvaluated = false;
        return Level switch
        {
            ReviewLevel.Handling => Stage.ReturnVisit,
            ReviewLevel.Review => Stage.Closed,
            _ => Stage.Final,
        };
    }

    /// <summary>The petitioner asks the level above to review (复查) or re-review (复核), within the window that the
    /// service of the last opinion opened (TL2022 Art 35, 36). The request counts from the day it was received.</summary>
    public void RequestHigherReview(ReviewLevel level, OrganizationRef reviewer, DateOnly receivedOn, DateOnly today)
    {
        if (RequestWindow(level) is not { } clock)
            throw new RuleViolationException("no-review-window",
                level == ReviewLevel.Review ? "Review can only be requested after a handling opinion has been served." : "Re-review can only be requested after a review opinion has been served.");
        RequireDate(receivedOn, today, clock.StartedOn, "the service of the reply");
        if (receivedOn > clock.DueOn)
            throw new RuleViolationException("review-window-closed",
                $"The {(level == ReviewLevel.Review ? "review" : "re-review")} request window ended on {clock.DueOn:yyyy-MM-dd}, 30 days after service.");
        Level = level;
        HandlingOrganizationId = reviewer.Id;
    }

    /// <summary>Whether the petitioner may still ask for <paramref name="level"/> today.</summary>
    public bool MayRequestHigherReview(ReviewLevel level, DateOnly today) => RequestWindow(level) is { } clock && today <= clock.DueOn;

    /// <summary>Whether a request for <paramref name="level"/> can still be recorded: its window has not been closed
    /// as final, so a request received in time may be entered after the window's end.</summary>
    public bool HasRequestWindow(ReviewLevel level) => RequestWindow(level) is not null;

    /// <summary>A re-review hearing (听证) opens on <paramref name="on"/>: not before the re-review request was received.</summary>
    public void StartHearing(DateOnly on, DateOnly today) =>
        RequireDate(on, today, RequireOpenClock(ClockKind.RereviewDecision).StartedOn, "the re-review request");

    /// <summary>The hearing closes on <paramref name="on"/>: not before it opened.</summary>
    public void EndHearing(DateOnly on, DateOnly today)
    {
        var clock = RequireOpenClock(ClockKind.RereviewDecision);
        RequireDate(on, today, clock.PausedOn ?? clock.StartedOn, "the hearing's start");
    }

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
        ExtensionRequestedOn = null;
        GrantedExtensionDays = 0;
    }

    /// <summary>The referring side of a referral (交办): the matter went to the linked case and waits for its answer.</summary>
    public void ReferTo(long linkedPetitionId) => ReferredToId = linkedPetitionId;

    /// <summary>Whether the receiving bureau may still object to the referral: within the 5 working days (TL2022 Art 23 ¶3)
    /// and before any triage of its own.</summary>
    public bool MayObjectToReferral(DateOnly today) =>
        ReferredFromId is not null && ReferralAnswer is null && OpenClock(ClockKind.ReferralObjection) is { } clock && today <= clock.DueOn;

    /// <summary>The receiving bureau objects: the matter is not within its powers, and it goes back to the referring office.</summary>
    public void ObjectToReferral(DateOnly today)
    {
        RequireUnansweredReferral();
        var clock = OpenClock(ClockKind.ReferralObjection)
            ?? throw new RuleViolationException("objection-window-closed", "The bureau has already triaged this referred petition: it can no longer object.");
        if (today > clock.DueOn)
            throw new RuleViolationException("objection-window-closed", $"The 5 working days for objecting to the referral ended on {clock.DueOn:yyyy-MM-dd} (TL2022 Art 23 ¶3).");
        ReferralAnswer = Domain.ReferralAnswer.Objected;
    }

    /// <summary>Whether the receiving bureau still owes the referring one its report of the outcome.</summary>
    public bool OwesReportBack => ReferredFromId is not null && ReferralAnswer is null;

    /// <summary>The receiving bureau reports the outcome back to the referring one (报告办理结果).</summary>
    public void ReportBack()
    {
        RequireUnansweredReferral();
        ReferralAnswer = Domain.ReferralAnswer.Reported;
    }

    private void RequireUnansweredReferral()
    {
        if (ReferredFromId is null) throw new RuleViolationException("not-referred", "This petition was not referred by another bureau.");
        if (ReferralAnswer is { } answer)
            throw new RuleViolationException("referral-answered", $"This referral has already been answered ({Codes.Of(answer)}).");
    }

    /// <summary>The receiving bureau objected: the matter is back at this office, to be triaged again.</summary>
    public void ReferralReturned() => ReferredToId = null;

    /// <summary>The receiving bureau reported back: this petition closes with the outcome it reached, when it reached one.</summary>
    public void ReferralReported(Opinion? outcome)
    {
        if (outcome is not null) Opinion = outcome;
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
