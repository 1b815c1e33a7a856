using Petitions.Domain;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Appeals;

/// <summary>A re-review hearing (听证) opens: the re-review clock stands still until it closes (TL2022 Art 36).</summary>
public static class StartHearing
{
    public sealed class Rule : ActionRule<CommentPayload>
    {
        protected override Task<ActionOutcome> ApplyAsync(Petition petition, CommentPayload payload, ActionContext context, CancellationToken ct) =>
            Task.FromResult(new ActionOutcome(Summary: payload.Comment));
    }
}

/// <summary>The hearing closes: the re-review clock runs again, its due date moved by the days it stood still.</summary>
public static class EndHearing
{
    public sealed class Rule : ActionRule<CommentPayload>
    {
        protected override Task<ActionOutcome> ApplyAsync(Petition petition, CommentPayload payload, ActionContext context, CancellationToken ct) =>
            Task.FromResult(new ActionOutcome(Summary: payload.Comment));
    }
}
