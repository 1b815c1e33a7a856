using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Triage;

/// <summary>The matter belongs to a legal procedure (诉访分离): litigation, reconsideration, arbitration or the
/// police's own procedure. No handling clock starts; the petitioner is told where to go.</summary>
public static class Divert
{
    public sealed record Payload(string? Procedure, string? Comment);

    public sealed class Validator : AbstractValidator<Payload>
    {
        public Validator()
        {
            RuleFor(p => p.Procedure).IsOneOf(Codes.All<LegalProcedure>(), "procedure");
            RuleFor(p => p.Comment).MaximumLength(2000);
        }
    }

    public sealed class Rule : ActionRule<Payload>
    {
        protected override Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct) =>
            Task.FromResult(new ActionOutcome(
                Summary: string.IsNullOrWhiteSpace(payload.Comment) ? payload.Procedure : $"{payload.Procedure}: {payload.Comment}",
                NoticeDetails: new Dictionary<string, string> { ["procedure"] = payload.Procedure!, ["reason"] = payload.Comment ?? "" }));
    }
}
