using Petitions.Domain;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Handling;

/// <summary>A leader or the office approves the draft: the handling opinion (信访处理意见书) is issued, telling the
/// petitioner how and by when to ask for review (TL2022 Art 32, 35).</summary>
public static class ApproveOpinion
{
    public sealed class Rule(Storage.AccountStore accounts, Storage.PetitionStore store) : ActionRule<CommentPayload>
    {
        protected override async Task<ActionOutcome> ApplyAsync(Petition petition, CommentPayload payload, ActionContext context, CancellationToken ct)
        {
            var opinion = petition.ApproveOpinion(context.Today);
            await store.DecideOpinionVersionAsync(context.PetitionId, "approved", payload.Comment, context.Now, context.Actor, ct);
            var reviewer = context.Bureau.ParentId is { } parent ? (await accounts.OrganizationAsync(parent, ct))?.Name : null;
            return new ActionOutcome(
                Summary: payload.Comment,
                NoticeDetails: Notices.Opinion(opinion, reviewer, context.Policy.Rule(ClockKind.ReviewRequest).Days));
        }
    }
}

/// <summary>What an opinion notice states: the decision, its reasons, and where and within how long to appeal.</summary>
internal static class Notices
{
    public static Dictionary<string, string> Opinion(Opinion opinion, string? appealTo, int appealWithinDays)
    {
        var details = new Dictionary<string, string> { ["outcome"] = opinion.Outcome, ["text"] = opinion.Text };
        if (appealTo is not null)
        {
            details["appealTo"] = appealTo;
            details["appealWithinDays"] = appealWithinDays.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return details;
    }
}
