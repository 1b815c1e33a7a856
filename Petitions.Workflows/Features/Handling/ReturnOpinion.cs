using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Handling;

/// <summary>The draft opinion goes back to the handling unit with what to change.</summary>
public static class ReturnOpinion
{
    public sealed record Payload(string? Reason);

    public sealed class Validator : AbstractValidator<Payload>
    {
        public Validator() => RuleFor(p => p.Reason).NotEmpty().MaximumLength(2000);
    }

    public sealed class Rule : ActionRule<Payload>
    {
        protected override Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct) =>
            Task.FromResult(new ActionOutcome(Summary: payload.Reason));
    }
}
