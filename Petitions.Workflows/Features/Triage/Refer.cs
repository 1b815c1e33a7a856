using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Triage;

/// <summary>
/// The office refers the petition to a subordinate bureau (交办). That bureau gets a linked case of its own, with
/// the same people, matter, category and accused unit, its intake clock and the 5-working-day clock for objecting to
/// the referral; this case waits for that bureau's objection or report (version 2; version 1 closed it at once), and
/// the petitioner is told where the matter went (交办告知书) and follows it with the same case number and query code.
/// </summary>
public static class Refer
{
    public sealed record Payload(string? Bureau, string? Comment);

    public sealed class Validator : AbstractValidator<Payload>
    {
        public Validator()
        {
            RuleFor(p => p.Bureau).NotEmpty().MaximumLength(32).WithMessage("Name the subordinate bureau by its code.");
            RuleFor(p => p.Comment).MaximumLength(2000);
        }
    }

    public sealed class Rule(AccountStore accounts, PetitionStore store, DeadlineRules rules) : ActionRule<Payload>
    {
        protected override async Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct)
        {
            var target = await accounts.OrganizationByCodeAsync(payload.Bureau!, ct);
            if (target is null || target.ParentId != context.Bureau.Id || target.Ref.Kind == OrganizationKind.Unit)
                throw new RuleViolationException("not-subordinate-bureau", $"'{payload.Bureau}' is not a bureau directly under {context.Bureau.Name}.");
            petition.RequireMayReceive(target.Ref);
            // The linked case starts under the policy of the bureau it is referred to.
            var linked = await store.CopyToBureauAsync(
                context.PetitionId, target, context.Actor, context.Now, await rules.ForBureauAsync(target.Path, ct), context.Calendar, ct);
            await store.LinkAsync(context.PetitionId, linked.Id, "referred-to", ct);
            await store.LinkAsync(linked.Id, context.PetitionId, "referred-from", ct);
            petition.ReferTo(linked.Id);
            return new ActionOutcome(
                Summary: $"→ {target.Name} ({linked.CaseNumber})",
                NoticeDetails: new Dictionary<string, string> { ["to"] = target.Name });
        }
    }
}
