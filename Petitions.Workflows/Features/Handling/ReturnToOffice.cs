using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Handling;

/// <summary>The handling unit gives the petition back to the office (it is not theirs to handle): it is triaged again.</summary>
public static class ReturnToOffice
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
            petition.ReturnToOffice();
            return Task.FromResult(new ActionOutcome(Summary: payload.Reason));
        }
    }
}
