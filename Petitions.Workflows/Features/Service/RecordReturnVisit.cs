using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Service;

/// <summary>The return visit (回访) records the petitioner's satisfaction; the petition closes.</summary>
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

    public sealed class Rule : ActionRule<Payload>
    {
        protected override Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct)
        {
            // An evaluation the petitioner already gave online stands; the visit's answer stays in the history.
            if (petition.Satisfaction is null) petition.RecordSatisfaction(Codes.Parse<Satisfaction>(payload.Satisfaction!));
            return Task.FromResult(new ActionOutcome(Summary: string.IsNullOrWhiteSpace(payload.Note) ? payload.Satisfaction : $"{payload.Satisfaction}: {payload.Note}"));
        }
    }
}
