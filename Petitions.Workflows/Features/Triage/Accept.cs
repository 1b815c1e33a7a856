using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Triage;

/// <summary>The office accepts the petition (受理) and assigns a handling unit; the 60-day clock starts.</summary>
public static class Accept
{
    public sealed record Payload([Chooses(OrganizationChoice.HandlingUnit)] string? Unit, string? Comment);

    public sealed class Validator : AbstractValidator<Payload>
    {
        public Validator()
        {
            RuleFor(p => p.Unit).NotEmpty().MaximumLength(32).WithMessage("Name the handling unit by its code.");
            RuleFor(p => p.Comment).MaximumLength(2000);
        }
    }

    public sealed class Rule(AccountStore accounts) : ActionRule<Payload>
    {
        protected override async Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct)
        {
            var unit = await Units.FindAsync(accounts, payload.Unit!, ct);
            petition.AssignTo(unit.Ref, context.Bureau);
            return new ActionOutcome(Summary: Units.Summary(unit, payload.Comment), NoticeDetails: new Dictionary<string, string> { ["unit"] = unit.Name });
        }
    }
}

/// <summary>Finding the unit an assignment names.</summary>
internal static class Units
{
    public static async Task<Organization> FindAsync(AccountStore accounts, string code, CancellationToken ct) =>
        await accounts.OrganizationByCodeAsync(code, ct)
            ?? throw new ValidationException([new FluentValidation.Results.ValidationFailure("unit", $"There is no organization with the code '{code}'.")]);

    public static string Summary(Organization unit, string? comment) =>
        string.IsNullOrWhiteSpace(comment) ? $"→ {unit.Name}" : $"→ {unit.Name}: {comment}";
}
