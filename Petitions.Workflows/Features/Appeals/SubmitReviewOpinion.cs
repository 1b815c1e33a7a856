using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Appeals;

/// <summary>The reviewing organ decides: uphold or revise the opinion (复查意见书, issued and served in its name), or order
/// the petition handled again by its bureau, with a new handling clock.</summary>
public static class SubmitReviewOpinion
{
    public sealed record Payload(string? Outcome, string? Text);

    public sealed class Validator : AbstractValidator<Payload>
    {
        public Validator()
        {
            RuleFor(p => p.Outcome).IsOneOf(Codes.All<ReviewOutcome>(), "outcome");
            RuleFor(p => p.Text).NotEmpty().MaximumLength(10_000);
        }
    }

    public sealed class Rule(AccountStore accounts, PetitionStore store) : ActionRule<Payload>
    {
        protected override async Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct)
        {
            petition.DecideAppeal(payload.Outcome!, payload.Text!, context.Today);
            await store.AddOpinionVersionAsync(context.PetitionId, petition.Level, petition.Opinion!, context.Now, context.Actor, "decided", ct);
            if (Codes.Parse<ReviewOutcome>(payload.Outcome!) == ReviewOutcome.OrderRehandling)
            {
                petition.OrderRehandling(context.Bureau.Id);
                petition.StartClock(ClockKind.Handling, context.Today, context.Policy, context.Calendar);
                return new ActionOutcome(Summary: payload.Outcome, To: Stage.InHandling, NoticeDetails: Handling.Notices.Opinion(petition.Opinion!, null, 0));
            }
            var reviewer = (await accounts.OrganizationAsync(petition.HandlingOrganizationId, ct))!;
            var rereviewer = reviewer.ParentId is { } parent ? (await accounts.OrganizationAsync(parent, ct))?.Name : null;
            return new ActionOutcome(
                Summary: payload.Outcome,
                To: Stage.AwaitingService,
                NoticeDetails: Handling.Notices.Opinion(petition.Opinion!, rereviewer, context.Policy.Rule(ClockKind.RereviewRequest).Days));
        }
    }
}
