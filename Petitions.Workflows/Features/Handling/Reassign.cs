using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Features.Triage;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Handling;

/// <summary>The office moves the petition to another handling unit; the handling clock runs on.</summary>
public static class Reassign
{
    public sealed record Payload([Chooses(OrganizationChoice.HandlingUnit)] string? Unit, string? Reason);

    public sealed class Validator : AbstractValidator<Payload>
    {
        public Validator()
        {
            RuleFor(p => p.Unit).NotEmpty().MaximumLength(32).WithMessage("Name the handling unit by its code.");
            RuleFor(p => p.Reason).NotEmpty().MaximumLength(2000);
        }
    }

    public sealed class Rule(AccountStore accounts) : ActionRule<Payload>
    {
        protected override async Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct)
        {
            var unit = await Units.FindAsync(accounts, payload.Unit!, ct);
            petition.AssignTo(unit.Ref, context.Bureau);
            return new ActionOutcome(Summary: Units.Summary(unit, payload.Reason));
        }
    }
}
