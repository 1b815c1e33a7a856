using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Supervision;

/// <summary>
/// The daily digest: per handling unit (or the deciding office while no unit is assigned), how many clocks are
/// overdue and near due this morning. Running it again the same day replaces that day's rows.
/// </summary>
public static class RecordDailyDigest
{
    public sealed record Command : IRequest<int>;

    public sealed class Handler(Database database, TimeProvider time) : IRequestHandler<Command, int>
    {
        public async Task<int> Handle(Command command, CancellationToken ct)
        {
            var today = ShanghaiTime.DateOf(time.GetUtcNow());
            await using var session = new DbSession(database);
            await session.BeginAsync(ct);
            await session.ExecuteAsync("DELETE FROM supervision_digests WHERE digest_on = @Today", new { Today = today }, ct);
            var rows = await session.ExecuteAsync(
                """
                INSERT INTO supervision_digests (digest_on, organization_id, overdue, near_due)
                SELECT @Today,
                       COALESCE(p.assigned_unit_id, p.handling_org_id),
                       SUM(CASE WHEN c.state = 'overdue' OR c.due_on < @Today THEN 1 ELSE 0 END),
                       SUM(CASE WHEN c.state = 'running' AND c.due_on >= @Today AND c.warned = 'near-due' THEN 1 ELSE 0 END)
                FROM clocks c
                JOIN petitions p ON p.id = c.petition_id
                WHERE c.state IN ('running', 'overdue')
                GROUP BY COALESCE(p.assigned_unit_id, p.handling_org_id)
                """,
                new { Today = today }, ct);
            await session.CommitAsync(ct);
            return rows;
        }
    }
}

/// <summary>The digest of a day for the organizations within the caller's reach.</summary>
public static class GetDigest
{
    public sealed record Query(DateOnly? On, Actor Actor) : IQuery<IReadOnlyList<Line>>;

    public sealed record Line
    {
        public string Organization { get; init; } = "";
        public string Code { get; init; } = "";
        public int Overdue { get; init; }
        public int NearDue { get; init; }
    }

    public sealed class Handler(DbSession session, AccountStore accounts, TimeProvider time) : IRequestHandler<Query, IReadOnlyList<Line>>
    {
        public async Task<IReadOnlyList<Line>> Handle(Query query, CancellationToken ct)
        {
            query.Actor.Require(Role.Supervisor, Role.Leader, Role.Office);
            var viewer = (await accounts.OrganizationAsync(query.Actor.OrganizationId!.Value, ct))!;
            return await session.QueryAsync<Line>(
                """
                SELECT o.name     AS Organization,
                       o.code     AS Code,
                       d.overdue  AS Overdue,
                       d.near_due AS NearDue
                FROM supervision_digests d
                JOIN organizations o ON o.id = d.organization_id
                WHERE d.digest_on = @On
                  AND o.path LIKE @ScopePrefix
                ORDER BY d.overdue DESC, o.code
                """,
                new { On = query.On ?? ShanghaiTime.DateOf(time.GetUtcNow()), ScopePrefix = viewer.Path + "%" }, ct);
        }
    }
}
