using System.Text.Json;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Petitions;

/// <summary>One notice of a petition within the caller's reach, with what it states, for printing.</summary>
public static class GetNotice
{
    public sealed record Query(string CaseNumber, long NoticeId, Actor Actor) : IQuery<Response>;

    /// <summary>The notice and what it is about: the case, its subject and receipt, and the petitioner it is addressed to.</summary>
    public sealed record Response(
        long Id, string Kind, string CaseNumber, string Bureau, DateTimeOffset IssuedAt, string Subject, DateOnly ReceivedOn,
        string Petitioner, IReadOnlyDictionary<string, string> Details);

    public sealed class Handler(DbSession session, PetitionStore store, AccountStore accounts) : IRequestHandler<Query, Response>
    {
        private sealed record AboutRow
        {
            public string Subject { get; init; } = "";
            public DateTimeOffset ReceivedAt { get; init; }
            public string Petitioner { get; init; } = "";
        }

        private sealed record NoticeRow
        {
            public string Kind { get; init; } = "";
            public DateTimeOffset IssuedAt { get; init; }
            public string Details { get; init; } = "{}";
        }

        public async Task<Response> Handle(Query query, CancellationToken ct)
        {
            var (_, stored) = await PetitionScope.LoadWithinReachAsync(store, accounts, query.CaseNumber, query.Actor, ct);
            var notice = await session.QuerySingleOrDefaultAsync<NoticeRow>(
                """
                SELECT kind      AS Kind,
                       issued_at AS IssuedAt,
                       details   AS Details
                FROM notices
                WHERE id = @NoticeId
                  AND petition_id = @PetitionId
                """,
                new { query.NoticeId, PetitionId = stored.Id }, ct)
                ?? throw new NotFoundException($"Petition {query.CaseNumber} has no notice {query.NoticeId}.");
            var about = (await session.QuerySingleOrDefaultAsync<AboutRow>(
                """
                SELECT p.subject     AS Subject,
                       p.received_at AS ReceivedAt,
                       pp.name       AS Petitioner
                FROM petitions p
                JOIN petition_people pp ON pp.petition_id = p.id AND pp.ordinal = 0
                WHERE p.id = @Id
                """,
                new { stored.Id }, ct))!;
            var details = JsonSerializer.Deserialize<Dictionary<string, string>>(notice.Details) ?? [];
            return new Response(
                query.NoticeId, notice.Kind, query.CaseNumber, details.GetValueOrDefault("bureau") ?? "", notice.IssuedAt,
                about.Subject, ShanghaiTime.DateOf(about.ReceivedAt), about.Petitioner, details);
        }
    }
}
