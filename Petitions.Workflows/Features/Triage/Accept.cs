using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Triage;

/// <summary>
/// The office accepts the petition (受理), on the day it did so, and assigns a handling unit; the 60-day clock starts
/// from that day and the petitioner gets the acceptance notice. Back from its unit, the petition is only assigned
/// again: the handling period runs on from the acceptance day, with no second notice. The same person's same matter
/// still being handled, or final, is refused as a repeat unless <see cref="Payload.DifferentMatter"/> says why it differs.
/// </summary>
public static class Accept
{
    public sealed record Payload(string? Unit, string? Comment, DateOnly? AcceptedOn = null, string? DifferentMatter = null);

    public sealed class Validator : AbstractValidator<Payload>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(p => p.Unit).NotEmpty().MaximumLength(32).WithMessage("Name the handling unit by its code.");
            RuleFor(p => p.Comment).MaximumLength(2000);
            RuleFor(p => p.AcceptedOn).NotInFuture(time, "acceptedOn");
            RuleFor(p => p.DifferentMatter).MaximumLength(2000);
        }
    }

    public sealed class Rule(AccountStore accounts, PetitionStore store) : ActionRule<Payload>
    {
        protected override async Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct)
        {
            var unit = await Units.FindAsync(accounts, payload.Unit!, ct);
            var acceptedOn = payload.AcceptedOn ?? context.Today;
            var earlier = await store.EarlierMattersAsync(context.PetitionId, ct);
            var accepting = petition.Accept(unit.Ref, context.Bureau, acceptedOn, context.Today, earlier, payload.DifferentMatter);
            var summary = Units.Summary(unit, payload.Comment);
            if (accepting && !string.IsNullOrWhiteSpace(payload.DifferentMatter)) summary += $" [≠ {payload.DifferentMatter.Trim()}]";
            return new ActionOutcome(
                Summary: summary,
                NoticeDetails: new Dictionary<string, string> { ["unit"] = unit.Name, ["acceptedOn"] = acceptedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) },
                OccurredOn: acceptedOn,
                Notices: accepting ? null : []);
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
