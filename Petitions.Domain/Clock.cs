namespace Petitions.Domain;

/// <summary>
/// A deadline of one petition: when it started, when it is due, and whether it runs. Pausing (a hearing) moves the
/// due date by the days paused; an approved extension recounts it with the extra days. <see cref="NextCheckOn"/> is
/// the day its next warning falls due, so the sweep reads only clocks with something to do. Changes are marked so
/// the store writes only what changed.
/// </summary>
public sealed class Clock
{
    public Clock(
        long? id, ClockKind kind, DateOnly startedOn, DateOnly dueOn, bool provisional, ClockState state, DateOnly? pausedOn, int pausedDays, int extraDays,
        WarningLevel? warned = null, DateOnly? nextCheckOn = null, DateOnly? stoppedOn = null, long? organizationId = null)
    {
        StoppedOn = stoppedOn;
        OrganizationId = organizationId;
        Warned = warned;
        NextCheckOn = nextCheckOn;
        Id = id;
        Kind = kind;
        StartedOn = startedOn;
        DueOn = dueOn;
        Provisional = provisional;
        State = state;
        PausedOn = pausedOn;
        PausedDays = pausedDays;
        ExtraDays = extraDays;
    }

    public long? Id { get; }
    public ClockKind Kind { get; }

    /// <summary>Whose deadline it is: the organization deciding the petition when it started (a review's is the
    /// reviewing organ's); null for the petition's own bureau.</summary>
    public long? OrganizationId { get; }

    public DateOnly StartedOn { get; }
    public DateOnly DueOn { get; private set; }
    public bool Provisional { get; private set; }
    public ClockState State { get; private set; }
    public DateOnly? PausedOn { get; private set; }
    public int PausedDays { get; private set; }
    public int ExtraDays { get; private set; }
    public DateOnly? StoppedOn { get; private set; }
    public bool Changed { get; private set; }

    /// <summary>The last warning given: none, amber, or red.</summary>
    public WarningLevel? Warned { get; private set; }

    /// <summary>The day the next warning falls due; null when none will (stopped, paused, or already red).</summary>
    public DateOnly? NextCheckOn { get; private set; }

    public bool IsOpen => State != ClockState.Stopped;

    public static Clock Start(ClockKind kind, DateOnly startedOn, DeadlinePolicy policy, HolidayCalendar calendar, long? organizationId = null)
    {
        var deadline = policy.Compute(kind, startedOn, calendar);
        var clock = new Clock(null, kind, startedOn, deadline.Due, deadline.Provisional, ClockState.Running, null, 0, 0, organizationId: organizationId);
        clock.Schedule(policy);
        return clock;
    }

    /// <summary>The warning the sweep owes on <paramref name="today"/>, if any: red once the due day has passed, amber
    /// from the lead time before it. A clock caught up after downtime goes straight to red.</summary>
    public WarningLevel? WarningDue(DateOnly today, DeadlinePolicy policy)
    {
        if (State is ClockState.Stopped or ClockState.Paused || Warned == WarningLevel.Overdue) return null;
        if (today > DueOn) return WarningLevel.Overdue;
        if (Warned is null && today >= DueOn.AddDays(-policy.Rule(Kind).WarningLeadDays)) return WarningLevel.NearDue;
        return null;
    }

    /// <summary>Records a warning the sweep gave. Red marks the clock overdue; it runs on until stopped.</summary>
    public void Warn(WarningLevel level, DeadlinePolicy policy)
    {
        if (Warned == WarningLevel.Overdue || Warned == level)
            throw new RuleViolationException("already-warned", $"The {Codes.Of(Kind)} clock has already had this warning.");
        Warned = level;
        if (level == WarningLevel.Overdue) State = ClockState.Overdue;
        Schedule(policy);
    }

    public void Stop(DateOnly on)
    {
        if (!IsOpen) throw new RuleViolationException("clock-stopped", $"The {Codes.Of(Kind)} clock has already stopped.");
        State = ClockState.Stopped;
        StoppedOn = on;
        NextCheckOn = null;
        Changed = true;
    }

    public void Pause(DateOnly on)
    {
        if (State is not (ClockState.Running or ClockState.Overdue))
            throw new RuleViolationException("clock-not-running", $"The {Codes.Of(Kind)} clock is not running.");
        State = ClockState.Paused;
        PausedOn = on;
        NextCheckOn = null;
        Changed = true;
    }

    /// <summary>Resumes a paused clock; the days it stood still are excluded from its time, so it is due later.</summary>
    public void Resume(DateOnly on, DeadlinePolicy policy, HolidayCalendar calendar)
    {
        if (State != ClockState.Paused || PausedOn is not { } since)
            throw new RuleViolationException("clock-not-paused", $"The {Codes.Of(Kind)} clock is not paused.");
        PausedDays += on.DayNumber - since.DayNumber;
        PausedOn = null;
        State = Warned == WarningLevel.Overdue ? ClockState.Overdue : ClockState.Running;
        Recount(policy, calendar);
    }

    /// <summary>Adds days to the limit (an approved extension).</summary>
    public void Extend(int days, DeadlinePolicy policy, HolidayCalendar calendar)
    {
        if (!IsOpen) throw new RuleViolationException("clock-stopped", $"The {Codes.Of(Kind)} clock has stopped.");
        ExtraDays += days;
        Recount(policy, calendar);
    }

    /// <summary>Counts the due date again from the start: the limit, plus extensions, plus days paused, with the
    /// policy's rules, so a rest-day end rolls forward once, from the true end.</summary>
    private void Recount(DeadlinePolicy policy, HolidayCalendar calendar)
    {
        var rule = policy.Rule(Kind);
        var deadline = DeadlinePolicy.Compute(rule, StartedOn, rule.Days + ExtraDays + PausedDays, calendar);
        DueOn = deadline.Due;
        Provisional = deadline.Provisional;
        Schedule(policy);
    }

    /// <summary>Sets the check day again from the clock's own state (for rows older than the schedule).</summary>
    public void Reschedule(DeadlinePolicy policy)
    {
        if (State is ClockState.Stopped or ClockState.Paused) NextCheckOn = null;
        else Schedule(policy);
        Changed = true;
    }

    /// <summary>When the next warning falls due: amber's lead day, then the day after the due day; none after red.</summary>
    private void Schedule(DeadlinePolicy policy)
    {
        NextCheckOn = Warned switch
        {
            null => DueOn.AddDays(-policy.Rule(Kind).WarningLeadDays),
            WarningLevel.NearDue => DueOn.AddDays(1),
            _ => null,
        };
        Changed = true;
    }
}
