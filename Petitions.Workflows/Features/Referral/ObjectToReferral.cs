using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Referral;

/// <summary>
/// The bureau a matter was referred to objects, within 5 working days of receiving it, that the matter is not within
/// its powers (TL2022 Art 23 ¶3). Its case closes, and the matter goes back to the referring office to be triaged
/// again (<see cref="ReferralReturned"/>). Once that bureau has triaged the matter, it can no longer object.
/// </summary>
public static class ObjectToReferral
{
    public sealed record Payload(string? Reason);

    public sealed class Validator : AbstractValidator<Payload>
    {
        public Validator() => RuleFor(p => p.Reason).NotEmpty().MaximumLength(2000).WithMessage("Say why the matter is not within this bureau's powers.");
    }

    public sealed class Rule(WorkflowRuntime runtime) : ActionRule<Payload>
    {
        protected override async Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct)
        {
            petition.ObjectToReferral(context.Today);
            await runtime.FollowUpAsync(
                petition.ReferredFromId!.Value, "referral-returned", new ReferralReturned.Payload(petition.CaseNumber, payload.Reason!), context.Actor, ct);
            return new ActionOutcome(Summary: payload.Reason);
        }
    }
}
