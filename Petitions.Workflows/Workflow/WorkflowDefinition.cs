using Petitions.Domain;

namespace Petitions.Workflows.Workflow;

public enum ClockOperation { Start, StartOrContinue, Stop, Pause, Resume, Extend }

/// <summary>What an action does to one clock, on the day the action happened (a dated action's date, else today).
/// <see cref="AtLevel"/> limits it to a decision level (the service of a first reply opens other windows than the
/// service of a review opinion).</summary>
public sealed record ClockEffect(ClockOperation Operation, ClockKind Kind, ReviewLevel? AtLevel = null)
{
    public static ClockEffect Start(ClockKind kind, ReviewLevel? atLevel = null) => new(ClockOperation.Start, kind, atLevel);

    /// <summary>Starts the clock unless one of its kind runs already, which then runs on (one handling period per acceptance).</summary>
    public static ClockEffect StartOrContinue(ClockKind kind) => new(ClockOperation.StartOrContinue, kind);

    public static ClockEffect Stop(ClockKind kind, ReviewLevel? atLevel = null) => new(ClockOperation.Stop, kind, atLevel);
    public static ClockEffect Pause(ClockKind kind) => new(ClockOperation.Pause, kind);
    public static ClockEffect Resume(ClockKind kind) => new(ClockOperation.Resume, kind);
    public static ClockEffect Extend(ClockKind kind) => new(ClockOperation.Extend, kind);
}

/// <summary>
/// One action of a workflow: the stages it may start from, the stages it may lead to (the rule picks one when
/// there are several; none means it stays), the roles allowed, the rule that checks and applies its payload, the
/// clocks it changes, the notices it issues, and whether the petitioner's timeline shows it. <see cref="OfferedWhen"/>
/// keeps an action off the list of what can be done now when the petition's state already rules it out (the rule still
/// checks, and names the reason, when it is sent anyway). An action with no roles is a follow-up: nobody performs it;
/// the workflow does, on a linked petition, when an action on this one answers it (a referral's objection or report).
/// The rule may narrow <see cref="Notices"/> to those the petition is owed (a re-assignment owes no second acceptance notice).
/// </summary>
public sealed record ActionDefinition(
    string Code,
    IReadOnlyList<Stage> From,
    IReadOnlyList<Stage> To,
    IReadOnlyList<Role> Roles,
    Type Rule,
    IReadOnlyList<ClockEffect> Clocks,
    IReadOnlyList<NoticeKind> Notices,
    bool Public,
    string Summary)
{
    public Type Payload { get; } = ActionRules.PayloadOf(Rule);

    public bool IsFollowUp => Roles.Count == 0;

    public Func<Petition, Actor, DateOnly, bool> OfferedWhen { get; init; } = (_, _, _) => true;
}

/// <summary>A versioned workflow: a petition keeps the version it started with until it ends.</summary>
public sealed class WorkflowDefinition
{
    private readonly Dictionary<string, ActionDefinition> _actions;

    public WorkflowDefinition(int version, IEnumerable<ActionDefinition> actions)
    {
        Version = version;
        Actions = actions.ToList();
        _actions = Actions.ToDictionary(a => a.Code, StringComparer.Ordinal);
    }

    public int Version { get; }
    public IReadOnlyList<ActionDefinition> Actions { get; }

    public ActionDefinition? Find(string code) => _actions.GetValueOrDefault(code);

    /// <summary>The next version: this one's actions, each replaced by the row of <paramref name="changes"/> with its
    /// code, and the new actions of <paramref name="changes"/> after them.</summary>
    public WorkflowDefinition Revise(int version, IReadOnlyList<ActionDefinition> changes)
    {
        var changed = changes.ToDictionary(a => a.Code, StringComparer.Ordinal);
        return new WorkflowDefinition(version, Actions
            .Select(a => changed.GetValueOrDefault(a.Code, a))
            .Concat(changes.Where(a => !_actions.ContainsKey(a.Code))));
    }
}

/// <summary>The definitions the service knows; new petitions start on the latest.</summary>
public sealed class WorkflowCatalog(IEnumerable<WorkflowDefinition> definitions)
{
    private readonly Dictionary<int, WorkflowDefinition> _byVersion = definitions.ToDictionary(d => d.Version);

    public WorkflowDefinition Latest => _byVersion[_byVersion.Keys.Max()];

    public WorkflowDefinition Get(int version) =>
        _byVersion.TryGetValue(version, out var definition)
            ? definition
            : throw new InvalidOperationException($"Workflow version {version} is not installed; petitions on it cannot move.");

    /// <summary>The installed versions, oldest first.</summary>
    public IReadOnlyList<int> Versions => [.. _byVersion.Keys.Order()];

    /// <summary>Every action code of every installed version, for routing.</summary>
    public IEnumerable<ActionDefinition> AllActions => _byVersion.Values.SelectMany(d => d.Actions).DistinctBy(a => a.Code);
}
