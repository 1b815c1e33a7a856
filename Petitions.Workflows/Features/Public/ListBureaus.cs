using MediatR;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Public;

/// <summary>The bureaus a petition can be addressed to online: every organization that is not a handling unit.</summary>
public static class ListBureaus
{
    public sealed record Query : IQuery<IReadOnlyList<Bureau>>;

    public sealed record Bureau(string Code, string Name);

    public sealed class Handler(AccountStore accounts) : IRequestHandler<Query, IReadOnlyList<Bureau>>
    {
        public async Task<IReadOnlyList<Bureau>> Handle(Query query, CancellationToken ct) =>
            (await accounts.OrganizationsAsync("/", ct)).Where(o => o.Kind != "unit").Select(o => new Bureau(o.Code, o.Name)).ToList();
    }
}
