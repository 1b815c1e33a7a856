using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Referral;

/// <summary>
/// The bureau a matter was referred to has ended its case and reports the outcome to the referring bureau (报告办理结果):
/// its opinion, or its triage decision where it gave none. The referring petition closes with that outcome
/// (<see cref="ReferralReported"/>).
/// </summary>
public static class ReportBack
{
    public sealed record Payload(string? Report);

    public sealed class Validator : AbstractValidator<Payload>
    {
        public Validator() => RuleFor(p => p.Report).NotEmpty().MaximumLength(2000).WithMessage("Write the report to the referring bureau.");
    }

    public sealed class Rule(PetitionStore store, WorkflowRuntime runtime) : ActionRule<Payload>
    {
        protected override async Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct)
        {
            petition.ReportBack();
            var outcome = petition.Opinion?.Outcome ?? await store.LatestTriageAsync(context.PetitionId, ct) ?? "";
            await runtime.FollowUpAsync(
                petition.ReferredFromId!.Value, "referral-reported",
                new ReferralReported.Payload(petition.CaseNumber, outcome, payload.Report!, petition.Opinion), context.Actor, ct);
            return new ActionOutcome(Summary: $"{outcome}: {payload.Report}");
        }
    }
}
