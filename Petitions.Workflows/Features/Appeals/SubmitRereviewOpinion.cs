using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Appeals;

/// <summary>The re-reviewing bureau decides (复核意见书): uphold or revise. Once served, the petition is final.</summary>
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

    public sealed class Rule : ActionRule<Payload>
    {
        protected override Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct)
        {
            petition.RecordOpinion(payload.Outcome!, payload.Text!);
            return Task.FromResult(new ActionOutcome(Summary: payload.Outcome, NoticeDetails: Handling.Notices.Opinion(petition.Opinion!, null, 0)));
        }
    }
}
