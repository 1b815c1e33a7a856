using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Handling;

/// <summary>A leader approves the extension, on the day it was approved; the handling clock gains the days and the
/// petitioner is told why (延期告知书).</summary>
public static class ApproveExtension
{
    public sealed record Payload(string? Reason, DateOnly? ApprovedOn = null);

    public sealed class Validator : AbstractValidator<Payload>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(p => p.Reason).NotEmpty().MaximumLength(2000).WithMessage("Say why, for the extension notice the petitioner receives.");
            RuleFor(p => p.ApprovedOn).NotInFuture(time, "approvedOn");
        }
    }

    public sealed class Rule : ActionRule<Payload>
    {
        protected override Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct)
        {
            var approvedOn = payload.ApprovedOn ?? context.Today;
            var days = petition.ApproveExtension(approvedOn, context.Today);
            return Task.FromResult(new ActionOutcome(
                Summary: $"+{days} d",
                NoticeDetails: new Dictionary<string, string> { ["days"] = days.ToString(System.Globalization.CultureInfo.InvariantCulture), ["reason"] = payload.Reason! },
                OccurredOn: approvedOn));
        }
    }
}
