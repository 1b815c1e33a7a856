using MediatR;
using Microsoft.Extensions.Logging;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Deadlines;

/// <summary>
/// Sends one notification of the outbox and marks it sent in the same transaction, under a row lock that another
/// delivery of the same row skips. A message already sent (a job run twice) is not sent again. A sender that fails
/// counts the attempt and throws, so the job is retried with back-off until its attempts run out.
/// </summary>
public static partial class DeliverNotification
{
    public sealed record Command(long OutboxId) : IRequest<bool>;

    public sealed partial class Handler(Database database, INotificationSender sender, TimeProvider time, ILogger<Handler> log) : IRequestHandler<Command, bool>
    {
        private sealed record Row
        {
            public long Id { get; init; }
            public string Kind { get; init; } = "";
            public long PetitionId { get; init; }
            public long RecipientOrgId { get; init; }
            public string Details { get; init; } = "";
        }

        /// <returns>Whether this call sent it.</returns>
        public async Task<bool> Handle(Command command, CancellationToken ct)
        {
            await using var session = new DbSession(database);
            await session.BeginAsync(ct);
            var (hint, suffix) = database.Dialect.SkipLocked;
            var row = await session.QuerySingleOrDefaultAsync<Row>(
                $"""
                SELECT id               AS Id,
                       kind             AS Kind,
                       petition_id      AS PetitionId,
                       recipient_org_id AS RecipientOrgId,
                       details          AS Details
                FROM outbox {hint}
                WHERE id = @OutboxId
                  AND sent_at IS NULL
                {suffix}
                """,
                command, ct);
            if (row is null) return false; // sent already, or being sent by another run of the job

            try
            {
                await sender.SendAsync(new OutboxMessage(row.Id, row.Kind, row.PetitionId, row.RecipientOrgId, row.Details), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(e, row.Id);
                await session.ExecuteAsync("UPDATE outbox SET attempts = attempts + 1 WHERE id = @Id", new { row.Id }, ct);
                await session.CommitAsync(ct);
                throw;
            }
            await session.ExecuteAsync(
                "UPDATE outbox SET sent_at = @SentAt, attempts = attempts + 1 WHERE id = @Id",
                new { row.Id, SentAt = time.GetUtcNow() }, ct);
            await session.CommitAsync(ct);
            return true;
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {Id} was not delivered; its job retries it")]
        private partial void LogFailed(Exception exception, long id);
    }
}
