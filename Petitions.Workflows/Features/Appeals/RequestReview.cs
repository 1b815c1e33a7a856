using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Appeals;

/// <summary>The petitioner asks the bureau's parent to review (复查) the served opinion, within 30 days of service
/// (TL2022 Art 35). The desk or office records the request, dated the day it was received; the level above decides it
/// within 30 days of that day.</summary>
public static class RequestReview
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
            var reviewer = await Reviewers.AboveAsync(accounts, context.Bureau.ParentId, ct);
            var receivedOn = payload.ReceivedOn ?? context.Today;
            petition.RequestHigherReview(ReviewLevel.Review, reviewer.Ref, receivedOn, context.Today);
            return new ActionOutcome(Summary: $"→ {reviewer.Name}: {payload.Reason}", OccurredOn: receivedOn);
        }
    }
}

/// <summary>The organization one level up, which decides a review or re-review.</summary>
internal static class Reviewers
{
    public static async Task<Organization> AboveAsync(AccountStore accounts, long? parentId, CancellationToken ct) =>
        parentId is { } id && await accounts.OrganizationAsync(id, ct) is { } parent
            ? parent
            : throw new RuleViolationException("no-higher-level", "There is no higher level to review this decision.");
}
