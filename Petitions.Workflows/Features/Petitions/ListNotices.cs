using System.Text.Json;
using MediatR;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Petitions;

/// <summary>The notices of a petition within reach, oldest first: what each is, when and in whose name it was issued,
/// and whether a due date it states is provisional.</summary>
public static class ListNotices
{
    public sealed record Query(string CaseNumber, Actor Actor) : IQuery<IReadOnlyList<Notice>>;

    public sealed record Notice(long Id, string Kind, DateTimeOffset IssuedAt, string Issuer, bool Provisional);

    private sealed record NoticeRow
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public DateTimeOffset IssuedAt { get; init; }
        public string Details { get; init; } = "{}";
    }

    public sealed class Handler(DbSession session, PetitionStore store, AccountStore accounts) : IRequestHandler<Query, IReadOnlyList<Notice>>
    {
        public async Task<IReadOnlyList<Notice>> Handle(Query query, CancellationToken ct)
        {
            var (_, stored) = await PetitionScope.LoadWithinReachAsync(store, accounts, query.CaseNumber, query.Actor, ct);
            var rows = await session.QueryAsync<NoticeRow>(
                """
                SELECT id        AS Id,
                       kind      AS Kind,
                       issued_at AS IssuedAt,
                       details   AS Details
                FROM notices
                WHERE petition_id = @Id
                ORDER BY id
                """,
                new { stored.Id }, ct);
            return rows.Select(n =>
            {
                var details = JsonSerializer.Deserialize<Dictionary<string, string>>(n.Details) ?? [];
                return new Notice(n.Id, n.Kind, n.IssuedAt, details.GetValueOrDefault("bureau") ?? "", details.Keys.Any(k => k.StartsWith("provisional:", StringComparison.Ordinal)));
            }).ToList();
        }
    }
}
