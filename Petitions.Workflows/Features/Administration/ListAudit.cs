using FluentValidation;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Administration;

/// <summary>The audit log, newest first, filtered by case, user and time, in pages (admin and supervisor): the entries of
/// users in the caller's subtree, and those of the system and the public about petitions of that subtree. Entries that
/// name neither a user nor a petition (sign-in attempts with unknown names) belong to the root of the tree.</summary>
public static class ListAudit
{
    public sealed record Query(string? CaseNumber, string? User, DateOnly? From, DateOnly? To, long? Before, int? Limit, Actor Actor) : IQuery<IReadOnlyList<Entry>>;

    public sealed record Entry
    {
        public long Id { get; init; }
        public DateTimeOffset OccurredAt { get; init; }
        public string? User { get; init; }
        public string? Organization { get; init; }
        public string Action { get; init; } = "";
        public string? CaseNumber { get; init; }
        public string Outcome { get; init; } = "";
        public string? Detail { get; init; }
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Limit).InclusiveBetween(1, 500);
            RuleFor(q => q.CaseNumber).MaximumLength(40);
            RuleFor(q => q.User).MaximumLength(64);
            RuleFor(q => q.From).IsWithinDateRange();
            RuleFor(q => q.To).IsWithinDateRange();
        }
    }

    public sealed class Handler(DbSession session, AccountStore accounts) : IRequestHandler<Query, IReadOnlyList<Entry>>
    {
        public async Task<IReadOnlyList<Entry>> Handle(Query query, CancellationToken ct)
        {
            query.Actor.Require(Role.Admin, Role.Supervisor);
            var viewer = (await accounts.OrganizationAsync(query.Actor.OrganizationId!.Value, ct))!;
            var where = new List<string>
            {
                """
                (o.path LIKE @ScopePrefix
                     OR (a.organization_id IS NULL
                         AND (EXISTS (SELECT 1 FROM petitions p WHERE p.case_number = a.case_number AND p.bureau_path LIKE @ScopePrefix)
                              OR (a.case_number IS NULL AND @WholeTree = 1))))
                """,
            };
            if (query.CaseNumber is not null) where.Add("a.case_number = @CaseNumber");
            if (query.User is not null) where.Add("u.user_name = @User");
            if (query.From is not null) where.Add("a.occurred_at >= @FromInstant");
            if (query.To is not null) where.Add("a.occurred_at < @ToInstant");
            if (query.Before is not null) where.Add("a.id < @Before");
            // "User" quoted: USER is a reserved word on SQL Server (docs/decisions/0012 found it).
            return await session.QueryAsync<Entry>(
                session.Dialect.Limit(
                    $"""
                    SELECT a.id          AS Id,
                           a.occurred_at AS OccurredAt,
                           u.user_name   AS "User",
                           o.name        AS Organization,
                           a.action      AS Action,
                           a.case_number AS CaseNumber,
                           a.outcome     AS Outcome,
                           a.detail      AS Detail
                    FROM audit_log a
                    LEFT JOIN users u ON u.id = a.user_id
                    LEFT JOIN organizations o ON o.id = a.organization_id
                    WHERE {string.Join("\n  AND ", where)}
                    ORDER BY a.id DESC
                    """,
                    "@Take"),
                new
                {
                    ScopePrefix = viewer.Path + "%",
                    WholeTree = viewer.ParentId is null ? 1 : 0,
                    query.CaseNumber,
                    query.User,
                    FromInstant = query.From is { } from ? ShanghaiTime.StartOf(from).ToUniversalTime() : default,
                    ToInstant = query.To is { } to ? ShanghaiTime.EndOf(to).ToUniversalTime() : default,
                    query.Before,
                    Take = query.Limit ?? 100,
                },
                ct);
        }
    }
}
