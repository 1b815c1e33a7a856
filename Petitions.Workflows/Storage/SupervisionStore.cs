using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Storage;

/// <summary>A supervision order as the supervision team and the unit see it.</summary>
public sealed record Order
{
    public long Id { get; init; }
    public string CaseNumber { get; init; } = "";
    public string State { get; init; } = "";
    public string Problem { get; init; } = "";
    public string Requirement { get; init; } = "";
    public DateTimeOffset IssuedAt { get; init; }
    public DateOnly ResponseDueOn { get; init; }
    public string? Response { get; init; }
    public DateTimeOffset? RespondedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
}

/// <summary>Supervision orders.</summary>
public sealed class SupervisionStore(DbSession session)
{
    private const string SelectOrder = """
        SELECT o.id              AS Id,
               p.case_number     AS CaseNumber,
               o.state           AS State,
               o.problem         AS Problem,
               o.requirement     AS Requirement,
               o.issued_at       AS IssuedAt,
               o.response_due_on AS ResponseDueOn,
               o.response        AS Response,
               o.responded_at    AS RespondedAt,
               o.closed_at       AS ClosedAt
        FROM supervision_orders o
        JOIN petitions p ON p.id = o.petition_id
        """;

    public Task<Order?> FindAsync(long id, CancellationToken ct) =>
        session.QuerySingleOrDefaultAsync<Order>($"{SelectOrder}\nWHERE o.id = @Id", new { Id = id }, ct);

    /// <summary>The newest <paramref name="take"/> orders on the petitions within reach.</summary>
    public Task<IReadOnlyList<Order>> ListAsync(PetitionScope.Reach reach, string? state, int take, CancellationToken ct) =>
        session.QueryAsync<Order>(
            session.Dialect.Limit(
                $"""
                {SelectOrder}
                WHERE {reach.Condition}
                  {(state is null ? "" : "AND o.state = @State")}
                ORDER BY o.id DESC
                """,
                "@Take"),
            reach.With(new { State = state, Take = take }), ct);

    public Task<IReadOnlyList<Order>> ListForPetitionAsync(long petitionId, CancellationToken ct) =>
        session.QueryAsync<Order>($"{SelectOrder}\nWHERE o.petition_id = @PetitionId\nORDER BY o.id DESC", new { PetitionId = petitionId }, ct);

    public Task<long> AddAsync(long petitionId, long issuedBy, DateTimeOffset at, string problem, string requirement, DateOnly dueOn, CancellationToken ct) =>
        session.ScalarAsync<long>(
            session.Dialect.InsertReturningId(
                "INSERT INTO supervision_orders (petition_id, issued_by, issued_at, problem, requirement, response_due_on, state)",
                "VALUES (@PetitionId, @IssuedBy, @IssuedAt, @Problem, @Requirement, @ResponseDueOn, 'issued')"),
            new { PetitionId = petitionId, IssuedBy = issuedBy, IssuedAt = at, Problem = problem, Requirement = requirement, ResponseDueOn = dueOn },
            ct);

    public Task RespondAsync(long id, string response, long userId, DateTimeOffset at, CancellationToken ct) =>
        session.ExecuteAsync(
            """
            UPDATE supervision_orders
            SET state        = 'answered',
                response     = @Response,
                responded_by = @UserId,
                responded_at = @At
            WHERE id = @Id
            """,
            new { Id = id, Response = response, UserId = userId, At = at }, ct);

    public Task CloseAsync(long id, long userId, DateTimeOffset at, CancellationToken ct) =>
        session.ExecuteAsync(
            """
            UPDATE supervision_orders
            SET state     = 'closed',
                closed_by = @UserId,
                closed_at = @At
            WHERE id = @Id
            """,
            new { Id = id, UserId = userId, At = at }, ct);
}
