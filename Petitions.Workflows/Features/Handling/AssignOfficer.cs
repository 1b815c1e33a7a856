using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Handling;

/// <summary>The handling unit assigns the petition to one of its officers (承办人), named by user name; assigning another
/// one hands it over. Going to another unit or back to the office clears the officer.</summary>
public static class AssignOfficer
{
    public sealed record Payload([Chooses(OrganizationChoice.UnitOfficer)] string? Officer, string? Comment);

    public sealed class Validator : AbstractValidator<Payload>
    {
        public Validator()
        {
            RuleFor(p => p.Officer).NotEmpty().MaximumLength(64).WithMessage("Name the officer by their user name.");
            RuleFor(p => p.Comment).MaximumLength(2000);
        }
    }

    public sealed class Rule(AccountStore accounts) : ActionRule<Payload>
    {
        protected override async Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct)
        {
            var officer = await accounts.OfficerCandidateAsync(payload.Officer!.Trim(), ct)
                          ?? throw new ValidationException([new FluentValidation.Results.ValidationFailure("officer", $"There is no user '{payload.Officer}'.")]);
            petition.AssignOfficer(officer);
            // The officer's display name is a staff member's, not the petitioner's: the history may name them.
            return new ActionOutcome(Summary: string.IsNullOrWhiteSpace(payload.Comment) ? $"→ {officer.Name}" : $"→ {officer.Name}: {payload.Comment}");
        }
    }
}
