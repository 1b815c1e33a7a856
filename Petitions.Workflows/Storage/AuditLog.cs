namespace Petitions.Workflows.Storage;

/// <summary>The append-only audit log: who, from which organization, what, when, how it ended; never personal data.</summary>
public sealed class AuditLog(DbSession session, TimeProvider time)
{
    public Task AppendAsync(Actor actor, string action, string? caseNumber, string outcome, string? detail, CancellationToken ct) =>
        session.WriteAsync(
            """
            INSERT INTO audit_log (occurred_at, user_id, organization_id, action, case_number, outcome, detail)
            VALUES (@OccurredAt, @UserId, @OrganizationId, @Action, @CaseNumber, @Outcome, @Detail)
            """,
            new { OccurredAt = time.GetUtcNow(), actor.UserId, actor.OrganizationId, Action = action, CaseNumber = caseNumber, Outcome = outcome, Detail = detail },
            ct);

    /// <summary>One entry per petition, each naming its case, written by one statement.</summary>
    public Task AppendEachAsync(Actor actor, string action, IReadOnlyCollection<long> petitionIds, string outcome, CancellationToken ct) =>
        petitionIds.Count == 0
            ? Task.CompletedTask
            : session.WriteAsync(
                $"""
                INSERT INTO audit_log (occurred_at, user_id, organization_id, action, case_number, outcome, detail)
                SELECT @OccurredAt, @UserId, @OrganizationId, @Action, case_number, @Outcome, NULL
                FROM petitions
                WHERE id IN ({SqlValues.Ids(petitionIds)})
                """,
                new { OccurredAt = time.GetUtcNow(), actor.UserId, actor.OrganizationId, Action = action, Outcome = outcome },
                ct);
}
