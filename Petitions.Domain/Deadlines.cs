namespace Petitions.Domain;

/// <summary>The statutory and practice clocks of DOMAIN.md §3.</summary>
public enum ClockKind
{
    Intake,
    ReferralObjection,
    Handling,
    ReviewRequest,
    ReviewDecision,
    RereviewRequest,
    RereviewDecision,
    ReturnVisit,
    SupervisionResponse,
}

public enum DayCount { Calendar, Working }

/// <summary>How one clock is counted: its limit, the kind of days, whether a rest-day end rolls forward, and how
/// many days before the end it turns amber.</summary>
public sealed record ClockRule(ClockKind Kind, int Days, DayCount Count, bool RollForward, int WarningLeadDays);

/// <summary>A deadline date (the day ends 24:00 Shanghai time); provisional when a year it depends on has no
/// holiday table yet.</summary>
public sealed record Deadline(DateOnly Due, bool Provisional);

/// <summary>
/// A set of clock rules. The national defaults follow TL2022; provinces override them as data. Counting follows
/// 民法典 Art 201/203: the start day is not counted, and an end on a rest day moves to the next working day.
/// </summary>
public sealed class DeadlinePolicy(IEnumerable<ClockRule> rules)
{
    private readonly Dictionary<ClockKind, ClockRule> _rules = rules.ToDictionary(r => r.Kind);

    public static DeadlinePolicy National { get; } = new(
    [
        new(ClockKind.Intake, 15, DayCount.Calendar, RollForward: true, WarningLeadDays: 3),
        new(ClockKind.ReferralObjection, 5, DayCount.Working, RollForward: true, WarningLeadDays: 1),
        new(ClockKind.Handling, 60, DayCount.Calendar, RollForward: true, WarningLeadDays: 3),
        new(ClockKind.ReviewRequest, 30, DayCount.Calendar, RollForward: true, WarningLeadDays: 3),
        new(ClockKind.ReviewDecision, 30, DayCount.Calendar, RollForward: true, WarningLeadDays: 3),
        new(ClockKind.RereviewRequest, 30, DayCount.Calendar, RollForward: true, WarningLeadDays: 3),
        new(ClockKind.RereviewDecision, 30, DayCount.Calendar, RollForward: true, WarningLeadDays: 3),
        new(ClockKind.ReturnVisit, 7, DayCount.Calendar, RollForward: true, WarningLeadDays: 2),
        new(ClockKind.SupervisionResponse, 7, DayCount.Calendar, RollForward: true, WarningLeadDays: 2),
    ]);

    public ClockRule Rule(ClockKind kind) =>
        _rules.TryGetValue(kind, out var rule) ? rule : throw new InvalidOperationException($"The policy has no rule for the {Codes.Of(kind)} clock.");

    /// <summary>The deadline of a clock that starts on <paramref name="start"/> (a Shanghai date, not counted).</summary>
    public Deadline Compute(ClockKind kind, DateOnly start, HolidayCalendar calendar) =>
        Compute(Rule(kind), start, Rule(kind).Days, calendar);

    public static Deadline Compute(ClockRule rule, DateOnly start, int days, HolidayCalendar calendar)
    {
        var provisional = false;
        bool IsRest(DateOnly d)
        {
            provisional |= !calendar.HasTable(d.Year);
            return calendar.IsRestDay(d);
        }

        DateOnly due;
        if (rule.Count == DayCount.Working)
        {
            due = start;
            for (var counted = 0; counted < days;)
            {
                due = due.AddDays(1);
                if (!IsRest(due)) counted++;
            }
        }
        else
        {
            due = start.AddDays(days);
            if (rule.RollForward)
                while (IsRest(due)) due = due.AddDays(1);
        }
        return new Deadline(due, provisional);
    }
}
