using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Appeals;

/// <summary>The petitioner asks the level above the reviewer to re-review (复核), within 30 days of the review
/// opinion's service (TL2022 Art 36), dated the day the request was received.</summary>
public static class RequestRereview
{
    public sealed record Payload(string? Reason, DateOnly? ReceivedOn = null);

    public sealed class Validator : AbstractValidator<Payload>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(p => p.Reason).NotEmpty().MaximumLength(2000);
            RuleFor(p => p.ReceivedOn).NotInFuture(time, "receivedOn");
        }
    }

    public sealed class Rule(AccountStore accounts) : ActionRule<Payload>
    {
        protected override async Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct)
        {
            var reviewer = (await accounts.OrganizationAsync(petition.HandlingOrganizationId, ct))!;
            var rereviewer = await Reviewers.AboveAsync(accounts, reviewer.ParentId, ct);
            var receivedOn = payload.ReceivedOn ?? context.Today;
            petition.RequestHigherReview(ReviewLevel.Rereview, rereviewer.Ref, receivedOn, context.Today);
            return new ActionOutcome(Summary: $"→ {rereviewer.Name}: {payload.Reason}", OccurredOn: receivedOn);
        }
    }
}
