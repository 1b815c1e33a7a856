using FluentValidation;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Actions;

/// <summary>The actions the caller may take on a petition now: its stage and state, the caller's roles and organization.</summary>
public static class ListActions
{
    public sealed record Query(string CaseNumber, Actor Actor) : IQuery<IReadOnlyList<AvailableAction>>;

    public sealed record AvailableAction(string Action, string Summary, IReadOnlyList<string> LeadsTo);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.CaseNumber).Must(CaseNumber.IsWellFormed).WithErrorCode("case-number").WithMessage("Not a case number.");
    }

    public sealed class Handler(PetitionStore store, AccountStore accounts, WorkflowCatalog workflows, TimeProvider time)
        : IRequestHandler<Query, IReadOnlyList<AvailableAction>>
    {
        public async Task<IReadOnlyList<AvailableAction>> Handle(Query query, CancellationToken ct)
        {
            var (viewer, stored) = await PetitionScope.LoadWithinReachAsync(store, accounts, query.CaseNumber, query.Actor, ct);
            var handling = (await accounts.OrganizationAsync(stored.Petition.HandlingOrganizationId, ct))!;
            var today = ShanghaiTime.DateOf(time.GetUtcNow());

            return workflows.Get(stored.WorkflowVersion).Actions
                .Where(a => a.From.Contains(stored.Petition.Stage)
                            && PetitionScope.CanAct(query.Actor, viewer, handling, a.Roles, stored.Petition)
                            && a.OfferedWhen(stored.Petition, query.Actor, today))
                .Select(a => new AvailableAction(a.Code, a.Summary, (a.To.Count == 0 ? [stored.Petition.Stage] : a.To).Select(Codes.Of).ToList()))
                .ToList();
        }
    }
}
