using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Appeals;

/// <summary>The re-reviewing organ decides (复核意见书, issued and served in its name): uphold or revise. Once served, the
/// petition is final.</summary>
public static class SubmitRereviewOpinion
{
    public sealed record Payload(string? Outcome, string? Text);

    public sealed class Validator : AbstractValidator<Payload>
    {
        public Validator()
        {
            RuleFor(p => p.Outcome).IsOneOf(["uphold", "revise"], "outcome");
            RuleFor(p => p.Text).NotEmpty().MaximumLength(10_000);
        }
    }

    public sealed class Rule(Storage.PetitionStore store) : ActionRule<Payload>
    {
        protected override async Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct)
        {
            petition.DecideAppeal(payload.Outcome!, payload.Text!, context.Today);
            await store.AddOpinionVersionAsync(context.PetitionId, petition.Level, petition.Opinion!, context.Now, context.Actor, "decided", ct);
            return new ActionOutcome(Summary: payload.Outcome, NoticeDetails: Handling.Notices.Opinion(petition.Opinion!, null, 0));
        }
    }
}
