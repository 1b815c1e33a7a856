using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Triage;

/// <summary>
/// The office settles which of the bureau's organizations an accusation accuses (by code), or states that none is
/// meant (<c>none</c>), with its reason. Until then an accusation whose typed accused unit resembles one of ours goes to
/// no unit; afterwards it never reaches the accused or anything under it (TL2022 Art 28 ¶3, 30 ¶3).
/// </summary>
public static class ConfirmAccusedUnit
{
    /// <summary>The value of <see cref="Payload.Unit"/> that states no organization of ours is accused.</summary>
    public const string None = "none";

    public sealed record Payload([Chooses(OrganizationChoice.AccusedOrganization)] string? Unit, string? Reason);

    public sealed class Validator : AbstractValidator<Payload>
    {
        public Validator()
        {
            RuleFor(p => p.Unit).NotEmpty().MaximumLength(32).WithMessage($"Name the accused organization by its code, or '{None}' when none of ours is meant.");
            RuleFor(p => p.Reason).NotEmpty().MaximumLength(2000);
        }
    }

    public sealed class Rule(AccountStore accounts) : ActionRule<Payload>
    {
        protected override async Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct)
        {
            var unit = payload.Unit == None ? null : await Units.FindAsync(accounts, payload.Unit!, ct);
            petition.ConfirmAccusedUnit(unit?.Ref, context.Bureau);
            return new ActionOutcome(Summary: $"{unit?.Name ?? "—"}: {payload.Reason}");
        }
    }
}
