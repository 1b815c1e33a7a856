using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Handling;

/// <summary>The handling unit asks a leader for more time: at most 30 days, once (TL2022 Art 34).</summary>
public static class RequestExtension
{
    public sealed record Payload(int? Days, string? Reason);

    public sealed class Validator : AbstractValidator<Payload>
    {
        public Validator()
        {
            RuleFor(p => p.Days).NotNull().InclusiveBetween(1, Petition.MaxExtensionDays);
            RuleFor(p => p.Reason).NotEmpty().MaximumLength(2000);
        }
    }

    public sealed class Rule : ActionRule<Payload>
    {
        protected override Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct)
        {
            petition.RequestExtension(payload.Days!.Value, context.Today);
            return Task.FromResult(new ActionOutcome(Summary: $"+{payload.Days} d: {payload.Reason}"));
        }
    }
}
