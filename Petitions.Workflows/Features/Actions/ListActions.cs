using FluentValidation;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Actions;

/// <summary>The actions the caller may take on a petition now: its stage and state, the caller's roles and organization;
/// for each field that names one of our organizations or officers, those it may name (<see cref="ChoosesAttribute"/>).</summary>
public static class ListActions
{
    public sealed record Query(string CaseNumber, Actor Actor) : IQuery<IReadOnlyList<AvailableAction>>;

    /// <param name="Choices">By field name: the organizations (or officers) the field may name, to choose by name and send
    /// by code (or user name).</param>
    public sealed record AvailableAction(string Action, string Summary, IReadOnlyList<string> LeadsTo, IReadOnlyDictionary<string, IReadOnlyList<OrganizationOption>> Choices);

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

            var offered = workflows.Get(stored.WorkflowVersion).Actions
                .Where(a => a.From.Contains(stored.Petition.Stage)
                            && PetitionScope.CanAct(query.Actor, viewer, handling, a.Roles, stored.Petition)
                            && a.OfferedWhen(stored.Petition, query.Actor, today))
                .ToList();

            // The bureau's organizations are read only when an action offered names one.
            IReadOnlyList<Organization>? subtree = null;
            var available = new List<AvailableAction>();
            foreach (var action in offered)
            {
                var choices = new Dictionary<string, IReadOnlyList<OrganizationOption>>();
                foreach (var (field, choice) in OrganizationChoices.FieldsOf(action.Payload))
                {
                    if (choice == OrganizationChoice.UnitOfficer)
                    {
                        choices[field] = await OrganizationChoices.OfficersAsync(accounts, stored.Petition, ct);
                        continue;
                    }
                    subtree ??= await accounts.OrganizationsAsync(stored.BureauPath, ct);
                    choices[field] = OrganizationChoices.For(choice, stored.Petition, subtree.Single(o => o.Id == stored.BureauId), subtree);
                }
                available.Add(new AvailableAction(
                    action.Code, action.Summary, (action.To.Count == 0 ? [stored.Petition.Stage] : action.To).Select(Codes.Of).ToList(), choices));
            }
            return available;
        }
    }
}
