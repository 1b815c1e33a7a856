using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Appeals;

/// <summary>A re-review hearing (听证) opens, on the day it did: the re-review clock stands still from that day until
/// it closes (TL2022 Art 36).</summary>
public static class StartHearing
{
    public sealed record Payload(DateOnly? StartedOn, string? Comment);

    public sealed class Validator : AbstractValidator<Payload>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(p => p.StartedOn).NotInFuture(time, "startedOn");
            RuleFor(p => p.Comment).MaximumLength(2000);
        }
    }

    public sealed class Rule : ActionRule<Payload>
    {
        protected override Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct)
        {
            var on = payload.StartedOn ?? context.Today;
            petition.StartHearing(on, context.Today);
            return Task.FromResult(new ActionOutcome(Summary: payload.Comment, OccurredOn: on));
        }
    }
}

/// <summary>The hearing closes, on the day it did: the re-review clock runs again, its due date moved by the days it
/// stood still.</summary>
public static class EndHearing
{
    public sealed record Payload(DateOnly? EndedOn, string? Comment);

    public sealed class Validator : AbstractValidator<Payload>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(p => p.EndedOn).NotInFuture(time, "endedOn");
            RuleFor(p => p.Comment).MaximumLength(2000);
        }
    }

    public sealed class Rule : ActionRule<Payload>
    {
        protected override Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct)
        {
            var on = payload.EndedOn ?? context.Today;
            petition.EndHearing(on, context.Today);
            return Task.FromResult(new ActionOutcome(Summary: payload.Comment, OccurredOn: on));
        }
    }
}
