using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Handling;

/// <summary>The draft opinion goes back to the handling unit with what to change: its text stays on record, with the
/// reviewer's reason beside it, for the unit to revise.</summary>
public static class ReturnOpinion
{
    public sealed record Payload(string? Reason);

    public sealed class Validator : AbstractValidator<Payload>
    {
        public Validator() => RuleFor(p => p.Reason).NotEmpty().MaximumLength(2000);
    }

    public sealed class Rule(Storage.PetitionStore store) : ActionRule<Payload>
    {
        protected override async Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct)
        {
            petition.ReturnOpinion();
            await store.DecideOpinionVersionAsync(context.PetitionId, "returned", payload.Reason, context.Now, context.Actor, ct);
            return new ActionOutcome(Summary: payload.Reason);
        }
    }
}
