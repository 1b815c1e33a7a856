using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Organizations;

/// <summary>The organizations below the caller's bureau, in tree order: what a form offers to choose from where a
/// field names one of them (the unit an accusation accuses, say), so that nobody has to type a name or a code.</summary>
public static class ListOrganizationsBelow
{
    public sealed record Query(Actor Actor) : IQuery<IReadOnlyList<Choice>>;

    public sealed record Choice(string Code, string Name, string Kind);

    public sealed class Handler(PetitionStore store, AccountStore accounts) : IRequestHandler<Query, IReadOnlyList<Choice>>
    {
        public async Task<IReadOnlyList<Choice>> Handle(Query query, CancellationToken ct)
        {
            query.Actor.Require(Workflow.PetitionScope.Readers);
            var bureau = await store.BureauOfAsync(query.Actor.OrganizationId!.Value, ct)
                ?? throw new ForbiddenException("Your organization does not belong to a bureau.");
            return (await accounts.OrganizationsAsync(bureau.Path, ct))
                .Where(o => o.Id != bureau.Id)
                .Select(o => new Choice(o.Code, o.Name, o.Kind))
                .ToList();
        }
    }
}
