using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Handling;

/// <summary>The handling unit drafts its opinion (TL2022 Art 32): support, explain or reject, with its reasons. Every
/// version submitted is kept.</summary>
public static class SubmitOpinion
{
    public sealed record Payload(string? Outcome, string? Text);

    public sealed class Validator : AbstractValidator<Payload>
    {
        public Validator()
        {
            RuleFor(p => p.Outcome).IsOneOf(Codes.All<OpinionOutcome>(), "outcome");
            RuleFor(p => p.Text).NotEmpty().MaximumLength(10_000);
        }
    }

    public sealed class Rule(Storage.PetitionStore store) : ActionRule<Payload>
    {
        protected override async Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct)
        {
            petition.RecordOpinion(payload.Outcome!, payload.Text!);
            await store.AddOpinionVersionAsync(context.PetitionId, petition.Level, petition.Opinion!, context.Now, context.Actor, decision: null, ct);
            return new ActionOutcome(Summary: payload.Outcome);
        }
    }
}
