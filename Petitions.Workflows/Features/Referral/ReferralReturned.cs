using Petitions.Domain;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Referral;

/// <summary>A follow-up on the referring petition: the bureau it referred the matter to objected, so the matter is
/// back at this office, whose intake clock runs again while it decides anew.</summary>
public static class ReferralReturned
{
    /// <summary>The objecting bureau's case and its reason.</summary>
    public sealed record Payload(string LinkedCaseNumber, string Reason);

    public sealed class Rule : ActionRule<Payload>
    {
        protected override Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct)
        {
            petition.ReferralReturned();
            return Task.FromResult(new ActionOutcome(Summary: $"← {payload.LinkedCaseNumber}: {payload.Reason}"));
        }
    }
}
