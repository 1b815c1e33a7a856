using Petitions.Domain;

namespace Petitions.Workflows.Storage;

/// <summary>A clock as its row reads (columns aliased by these names, <c>ClockId</c> first for a split), and as the domain has it.</summary>
public sealed record ClockRow
{
    /// <summary>The columns of a clock aliased <c>c</c>, for a select list.</summary>
    public const string Columns = """
        c.id              AS ClockId,
        c.kind            AS Kind,
        c.started_on      AS StartedOn,
        c.due_on          AS DueOn,
        c.provisional     AS Provisional,
        c.state           AS State,
        c.paused_on       AS PausedOn,
        c.paused_days     AS PausedDays,
        c.extra_days      AS ExtraDays,
        c.warned          AS Warned,
        c.next_check_on   AS NextCheckOn,
        c.stopped_on      AS StoppedOn,
        c.organization_id AS OrganizationId
        """;

    public long? ClockId { get; init; }
    public string Kind { get; init; } = "";
    public DateOnly StartedOn { get; init; }
    public DateOnly DueOn { get; init; }
    public bool Provisional { get; init; }
    public string State { get; init; } = "";
    public DateOnly? PausedOn { get; init; }
    public int PausedDays { get; init; }
    public int ExtraDays { get; init; }
    public string? Warned { get; init; }
    public DateOnly? NextCheckOn { get; init; }
    public DateOnly? StoppedOn { get; init; }
    public long? OrganizationId { get; init; }

    public Clock ToClock() => new(
        ClockId, Codes.Parse<ClockKind>(Kind), StartedOn, DueOn, Provisional, Codes.Parse<ClockState>(State), PausedOn, PausedDays, ExtraDays,
        Warned is null ? null : Codes.Parse<WarningLevel>(Warned), NextCheckOn, StoppedOn, OrganizationId);
}
