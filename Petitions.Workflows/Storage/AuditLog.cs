namespace Petitions.Workflows.Storage;

/// <summary>The append-only audit log: who, from which organization, what, when, how it ended; never personal data.</summary>
public sealed class AuditLog(DbSession session, TimeProvider time)
{
    public Task AppendAsync(Actor actor, string action, string? caseNumber, string outcome, string? detail, CancellationToken ct) =>
        session.ExecuteAsync(
            """
            INSERT INTO audit_log (occurred_at, user_id, organization_id, action, case_number, outcome, detail)
            VALUES (@OccurredAt, @UserId, @OrganizationId, @Action, @CaseNumber, @Outcome, @Detail)
            """,
            new { OccurredAt = time.GetUtcNow(), actor.UserId, actor.OrganizationId, Action = action, CaseNumber = caseNumber, Outcome = outcome, Detail = detail },
            ct);

    /// <summary>One entry per case, written together.</summary>
    public Task AppendEachAsync(Actor actor, string action, IReadOnlyList<string> caseNumbers, string outcome, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return session.InsertRowsAsync(
            "INSERT INTO audit_log (occurred_at, user_id, organization_id, action, case_number, outcome, detail)",
            caseNumbers.Select(caseNumber => new object?[] { now, actor.UserId, actor.OrganizationId, action, caseNumber, outcome, null }).ToList(), ct);
    }
}
