using MediatR;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Administration;

/// <summary>The contact-card settings of the organizations of the administrator's subtree, in tree order: whether each
/// bureau shows petitioners the handling officer's card, and each organization's public office phone.</summary>
public static class ListContactCards
{
    public sealed record Query(Actor Actor) : IQuery<IReadOnlyList<Card>>;

    public sealed record Card
    {
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Path { get; init; } = "";
        public bool Enabled { get; init; }
        public string? Phone { get; init; }
    }

    public sealed class Handler(DbSession session, AccountStore accounts) : IRequestHandler<Query, IReadOnlyList<Card>>
    {
        public async Task<IReadOnlyList<Card>> Handle(Query query, CancellationToken ct)
        {
            var admin = await AdministeredTree.OfAsync(accounts, query.Actor, ct);
            return await session.QueryAsync<Card>(
                """
                SELECT code          AS Code,
                       name          AS Name,
                       kind          AS Kind,
                       path          AS Path,
                       contact_card  AS Enabled,
                       contact_phone AS Phone
                FROM organizations
                WHERE path LIKE @ScopePrefix
                ORDER BY path
                """,
                new { ScopePrefix = admin.Root.Path + "%" }, ct);
        }
    }
}
