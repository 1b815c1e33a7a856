using Petitions.Domain;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Appeals;

/// <summary>The request window passed unused: the decision is final (终结); the same facts and reasons are not
/// accepted again (TL2022 Art 36 ¶3).</summary>
public static class Finalize
{
    public sealed class Rule : ActionRule<CommentPayload>
    {
        protected override Task<ActionOutcome> ApplyAsync(Petition petition, CommentPayload payload, ActionContext context, CancellationToken ct)
        {
            petition.RequireMissedWindow(context.Today);
            return Task.FromResult(new ActionOutcome(Summary: payload.Comment));
        }
    }
}
