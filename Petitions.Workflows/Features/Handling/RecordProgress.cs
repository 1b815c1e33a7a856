using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Handling;

/// <summary>The handling unit (or the office) notes what has been done so far.</summary>
public static class RecordProgress
{
    public sealed record Payload(string? Note);

    public sealed class Validator : AbstractValidator<Payload>
    {
        public Validator() => RuleFor(p => p.Note).NotEmpty().MaximumLength(2000);
    }

    public sealed class Rule : ActionRule<Payload>
    {
        protected override Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct) =>
            Task.FromResult(new ActionOutcome(Summary: payload.Note));
    }
}
