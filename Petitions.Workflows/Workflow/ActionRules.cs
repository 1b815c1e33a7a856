using FluentValidation;
using Petitions.Domain;

namespace Petitions.Workflows.Workflow;

/// <summary>What an action's rule sees: who acts, when, in which bureau, and the deadline rules in force.</summary>
public sealed class ActionContext(Actor actor, DateTimeOffset now, long petitionId, OrganizationRef bureau, DeadlinePolicy policy, HolidayCalendar calendar)
{
    public Actor Actor { get; } = actor;
    public DateTimeOffset Now { get; } = now;
    public DateOnly Today { get; } = ShanghaiTime.DateOf(now);
    public long PetitionId { get; } = petitionId;

    /// <summary>The bureau that registered the petition.</summary>
    public OrganizationRef Bureau { get; } = bureau;

    public DeadlinePolicy Policy { get; } = policy;
    public HolidayCalendar Calendar { get; } = calendar;
}

/// <summary>
/// What a rule decided: the stage, when the definition allows several; a short summary for the history (never
/// personal data); what the notices it issues must state; the day the action happened, for an action dated by the
/// real-world event (its clocks count from that day); and which of the definition's notices the petition is owed,
/// when not all of them.
/// </summary>
public sealed record ActionOutcome(
    string? Summary = null,
    Stage? To = null,
    IReadOnlyDictionary<string, string>? NoticeDetails = null,
    DateOnly? OccurredOn = null,
    IReadOnlyList<NoticeKind>? Notices = null);

/// <summary>The rule of one action: checks its payload against the petition and applies it through the aggregate.</summary>
public interface IActionRule
{
    Task<ActionOutcome> ApplyAsync(Petition petition, object payload, ActionContext context, CancellationToken ct);
}

/// <summary>Base of every action's rule, typed by the payload the action takes.</summary>
public abstract class ActionRule<TPayload> : IActionRule where TPayload : class
{
    public Task<ActionOutcome> ApplyAsync(Petition petition, object payload, ActionContext context, CancellationToken ct) =>
        ApplyAsync(petition, (TPayload)payload, context, ct);

    protected abstract Task<ActionOutcome> ApplyAsync(Petition petition, TPayload payload, ActionContext context, CancellationToken ct);
}

public static class ActionRules
{
    /// <summary>The payload type of a rule type (<c>ActionRule&lt;TPayload&gt;</c>).</summary>
    public static Type PayloadOf(Type rule)
    {
        for (var type = rule; type is not null; type = type.BaseType)
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ActionRule<>)) return type.GetGenericArguments()[0];
        throw new ArgumentException($"{rule.Name} is not an action rule.", nameof(rule));
    }
}

/// <summary>The payload of an action that takes no more than an optional comment.</summary>
public sealed record CommentPayload(string? Comment)
{
    public sealed class Validator : AbstractValidator<CommentPayload>
    {
        public Validator() => RuleFor(p => p.Comment).MaximumLength(2000);
    }
}
