namespace Petitions.Domain;

/// <summary>
/// A deadline of one petition: when it started, when it is due, and whether it runs. Pausing (a hearing) moves the
/// due date by the days paused; an approved extension recounts it with the extra days. Changes are marked so the
/// store writes only what changed.
/// </summary>
public sealed class Clock
{
    public Clock(long? id, ClockKind kind, DateOnly startedOn, DateOnly dueOn, bool provisional, ClockState state, DateOnly? pausedOn, int pausedDays, int extraDays)
    {
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
    public DateOnly StartedOn { get; }
    public DateOnly DueOn { get; private set; }
    public bool Provisional { get; private set; }
    public ClockState State { get; private set; }
    public DateOnly? PausedOn { get; private set; }
    public int PausedDays { get; private set; }
    public int ExtraDays { get; private set; }
    public DateOnly? StoppedOn { get; private set; }
    public bool Changed { get; private set; }

    public bool IsOpen => State != ClockState.Stopped;

    public static Clock Start(ClockKind kind, DateOnly startedOn, DeadlinePolicy policy, HolidayCalendar calendar)
    {
        var deadline = policy.Compute(kind, startedOn, calendar);
        return new Clock(null, kind, startedOn, deadline.Due, deadline.Provisional, ClockState.Running, null, 0, 0);
    }

    public void Stop(DateOnly on)
    {
        if (!IsOpen) throw new RuleViolationException("clock-stopped", $"The {Codes.Of(Kind)} clock has already stopped.");
        State = ClockState.Stopped;
        StoppedOn = on;
        Changed = true;
    }

    public void Pause(DateOnly on)
    {
        if (State != ClockState.Running) throw new RuleViolationException("clock-not-running", $"The {Codes.Of(Kind)} clock is not running.");
        State = ClockState.Paused;
        PausedOn = on;
        Changed = true;
    }

    /// <summary>Resumes a paused clock; the days it stood still are excluded from its time, so it is due later.</summary>
    public void Resume(DateOnly on, DeadlinePolicy policy, HolidayCalendar calendar)
    {
        if (State != ClockState.Paused || PausedOn is not { } since)
            throw new RuleViolationException("clock-not-paused", $"The {Codes.Of(Kind)} clock is not paused.");
        PausedDays += on.DayNumber - since.DayNumber;
        PausedOn = null;
        State = ClockState.Running;
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
        Changed = true;
    }
}
