using Petitions.Domain;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Referral;

/// <summary>A follow-up on the referring petition: the bureau it referred the matter to reported the outcome, and
/// this petition closes with it.</summary>
public static class ReferralReported
{
    /// <summary>The reporting bureau's case, its outcome (an opinion's or a triage decision's code), its report, and
    /// its opinion when it issued one.</summary>
    public sealed record Payload(string LinkedCaseNumber, string Outcome, string Report, Opinion? Opinion);

    public sealed class Rule : ActionRule<Payload>
    {
        protected override Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct)
        {
            petition.ReferralReported(payload.Opinion);
            return Task.FromResult(new ActionOutcome(Summary: $"← {payload.LinkedCaseNumber}: {payload.Outcome}: {payload.Report}"));
        }
    }
}
