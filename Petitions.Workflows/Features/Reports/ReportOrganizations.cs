using MediatR;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Reports;

/// <summary>The organizations the caller may ask reports for: their own and every one below it, in tree order.</summary>
public static class ReportOrganizations
{
    public sealed record Query(Actor Actor) : IQuery<IReadOnlyList<Item>>;

    public sealed record Item(string Code, string Name, string Kind);

    public sealed class Handler(AccountStore accounts) : IRequestHandler<Query, IReadOnlyList<Item>>
    {
        public async Task<IReadOnlyList<Item>> Handle(Query query, CancellationToken ct)
        {
            query.Actor.Require(ReportScope.Readers);
            var viewer = (await accounts.OrganizationAsync(query.Actor.OrganizationId!.Value, ct))!;
            return (await accounts.OrganizationsAsync(viewer.Path, ct)).Select(o => new Item(o.Code, o.Name, o.Kind)).ToList();
        }
    }
}
