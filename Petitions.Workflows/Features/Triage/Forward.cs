using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Triage;

/// <summary>The matter belongs to an organ outside the public security system; it is forwarded there (转送), and the
/// petitioner is told where it went (转送告知书).</summary>
public static class Forward
{
    public sealed record Payload(string? Organ, string? Comment);

    public sealed class Validator : AbstractValidator<Payload>
    {
        public Validator()
        {
            RuleFor(p => p.Organ).NotEmpty().MaximumLength(200);
            RuleFor(p => p.Comment).MaximumLength(2000);
        }
    }

    public sealed class Rule : ActionRule<Payload>
    {
        protected override Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct) =>
            Task.FromResult(new ActionOutcome(
                Summary: string.IsNullOrWhiteSpace(payload.Comment) ? $"→ {payload.Organ}" : $"→ {payload.Organ}: {payload.Comment}",
                NoticeDetails: new Dictionary<string, string> { ["organ"] = payload.Organ! }));
    }
}
