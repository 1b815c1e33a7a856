using MediatR;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Petitions;

/// <summary>The notices of a petition within reach, oldest first.</summary>
public static class ListNotices
{
    public sealed record Query(string CaseNumber, Actor Actor) : IQuery<IReadOnlyList<Notice>>;

    public sealed record Notice
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public DateTimeOffset IssuedAt { get; init; }
    }

    public sealed class Handler(DbSession session, PetitionStore store, AccountStore accounts) : IRequestHandler<Query, IReadOnlyList<Notice>>
    {
        public async Task<IReadOnlyList<Notice>> Handle(Query query, CancellationToken ct)
        {
            var (_, stored) = await PetitionScope.LoadWithinReachAsync(store, accounts, query.CaseNumber, query.Actor, ct);
            return await session.QueryAsync<Notice>(
                """
                SELECT id        AS Id,
                       kind      AS Kind,
                       issued_at AS IssuedAt
                FROM notices
                WHERE petition_id = @Id
                ORDER BY id
                """,
                new { stored.Id }, ct);
        }
    }
}
