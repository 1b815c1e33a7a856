using FluentValidation;
using Petitions.Domain;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Triage;

/// <summary>The same person raised the same matter before and it is still being handled or final: the petition is
/// not accepted again (TL2022 Art 19 ¶3, Art 36 ¶3), with a link to the earlier case, and the petitioner is told why
/// (不再受理告知书).</summary>
public static class MarkDuplicate
{
    public sealed record Payload(string? EarlierCaseNumber, string? Comment);

    public sealed class Validator : AbstractValidator<Payload>
    {
        public Validator()
        {
            RuleFor(p => p.EarlierCaseNumber).Cascade(CascadeMode.Stop).NotEmpty().Must(CaseNumber.IsWellFormed).WithErrorCode("case-number").WithMessage("Give the earlier petition's case number.");
            RuleFor(p => p.Comment).MaximumLength(2000);
        }
    }

    public sealed class Rule(PetitionStore store, AccountStore accounts) : ActionRule<Payload>
    {
        protected override async Task<ActionOutcome> ApplyAsync(Petition petition, Payload payload, ActionContext context, CancellationToken ct)
        {
            if (payload.EarlierCaseNumber == petition.CaseNumber)
                throw new RuleViolationException("duplicate-of-itself", "A petition cannot duplicate itself.");
            var viewer = (await accounts.OrganizationAsync(context.Actor.OrganizationId!.Value, ct))!;
            var earlier = await store.LoadAsync(payload.EarlierCaseNumber!, ct);
            if (earlier is null || !PetitionScope.CanSee(viewer, earlier))
                throw new RuleViolationException("unknown-earlier-petition", $"No petition {payload.EarlierCaseNumber} is within your reach.");
            await store.LinkAsync(context.PetitionId, earlier.Id, "duplicate-of", ct);
            return new ActionOutcome(
                Summary: $"= {payload.EarlierCaseNumber}",
                NoticeDetails: new Dictionary<string, string>
                {
                    ["earlierCaseNumber"] = payload.EarlierCaseNumber!,
                    ["earlierFinal"] = earlier.Petition.Stage == Stage.Final ? "true" : "false",
                    ["reason"] = payload.Comment ?? "",
                });
        }
    }
}
