using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Service;

/// <summary>The return visit (回访) records what the petitioner told the officer about the reply; the petition closes.
/// It is a fact of its own beside the petitioner's online evaluation, and neither erases the other.</summary>
public static class RecordReturnVisit
{
    public sealed record Payload(string? Satisfaction, string? Note);

    public sealed class Validator : AbstractValidator<Payload>
    {
        public Validator()
        {
            RuleFor(p => p.Satisfaction).IsOneOf(Codes.All<Satisfaction>(), "satisfaction");
            RuleFor(p => p.Note).MaximumLength(2000);
        }
    }

    public sealed class Rule(Storage.PetitionStore store) : ActionRule<Payload>
    {
        protected override async Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct)
        {
            var evaluation = petition.RecordReturnVisit(Codes.Parse<Satisfaction>(payload.Satisfaction!));
            await store.AddEvaluationAsync(context.PetitionId, evaluation, payload.Note, context.Now, context.Actor, ct);
            return new ActionOutcome(Summary: string.IsNullOrWhiteSpace(payload.Note) ? payload.Satisfaction : $"{payload.Satisfaction}: {payload.Note}");
        }
    }
}
