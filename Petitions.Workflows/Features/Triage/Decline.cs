using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Triage;

/// <summary>The office declines the petition (不予受理), saying why and where the petitioner can turn.</summary>
public static class Decline
{
    public sealed record Payload(string? Reason, string? WhereToGo);

    public sealed class Validator : AbstractValidator<Payload>
    {
        public Validator()
        {
            RuleFor(p => p.Reason).NotEmpty().MaximumLength(2000);
            RuleFor(p => p.WhereToGo).NotEmpty().MaximumLength(500);
        }
    }

    public sealed class Rule : ActionRule<Payload>
    {
        protected override Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct) =>
            Task.FromResult(new ActionOutcome(
                Summary: payload.Reason,
                NoticeDetails: new Dictionary<string, string> { ["reason"] = payload.Reason!, ["whereToGo"] = payload.WhereToGo! }));
    }
}
