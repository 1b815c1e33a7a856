using Petitions.Domain;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Supervision;

/// <summary>A leader takes personal charge of a petition (包案), at any stage before it is final.</summary>
public static class TakeCharge
{
    public sealed class Rule : ActionRule<CommentPayload>
    {
        protected override Task<ActionOutcome> ApplyAsync(Petition petition, CommentPayload payload, ActionContext context, CancellationToken ct)
        {
            petition.TakeCharge(context.Actor.UserId!.Value);
            return Task.FromResult(new ActionOutcome(Summary: payload.Comment));
        }
    }
}
