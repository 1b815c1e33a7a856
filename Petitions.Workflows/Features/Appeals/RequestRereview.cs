using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Appeals;

/// <summary>The petitioner asks the level above the reviewer to re-review (复核), within 30 days of the review
/// opinion's service (TL2022 Art 36).</summary>
public static class RequestRereview
{
    public sealed record Payload(string? Reason);

    public sealed class Validator : AbstractValidator<Payload>
    {
        public Validator() => RuleFor(p => p.Reason).NotEmpty().MaximumLength(2000);
    }

    public sealed class Rule(AccountStore accounts) : ActionRule<Payload>
    {
        protected override async Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct)
        {
            var reviewer = (await accounts.OrganizationAsync(petition.HandlingOrganizationId, ct))!;
            var rereviewer = await Reviewers.AboveAsync(accounts, reviewer.ParentId, ct);
            petition.RequestHigherReview(ReviewLevel.Rereview, rereviewer.Ref, context.Today);
            return new ActionOutcome(Summary: $"→ {rereviewer.Name}: {payload.Reason}");
        }
    }
}
