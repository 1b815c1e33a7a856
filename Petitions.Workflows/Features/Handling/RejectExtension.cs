using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Handling;

/// <summary>A leader refuses the extension request; the handling period stays as it was.</summary>
public static class RejectExtension
{
    public sealed record Payload(string? Reason);

    public sealed class Validator : AbstractValidator<Payload>
    {
        public Validator() => RuleFor(p => p.Reason).NotEmpty().MaximumLength(2000);
    }

    public sealed class Rule : ActionRule<Payload>
    {
        protected override Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct)
        {
            petition.RejectExtension();
            return Task.FromResult(new ActionOutcome(Summary: payload.Reason));
        }
    }
}
