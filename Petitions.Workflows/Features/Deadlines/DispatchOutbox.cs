using MediatR;
using Microsoft.Extensions.Logging;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Deadlines;

/// <summary>A notification for a unit or office, as the outbox holds it.</summary>
public sealed record OutboxMessage(long Id, string Kind, long PetitionId, long RecipientOrgId, string Details);

/// <summary>Delivers notifications; deployments plug in SMS, mail or an internal messenger.</summary>
public interface INotificationSender
{
    Task SendAsync(OutboxMessage message, CancellationToken ct);
}

/// <summary>
/// Where the dispatcher hands each notification: a background job that runs <see cref="DeliverNotification"/> for it
/// and retries it with back-off (the service's job scheduler).
/// </summary>
public interface INotificationQueue
{
    void Enqueue(long outboxId);
}

/// <summary>The default sender writes each notification to the log: ids and codes only, no personal data.</summary>
public sealed partial class LogNotificationSender(ILogger<LogNotificationSender> log) : INotificationSender
{
    public Task SendAsync(OutboxMessage message, CancellationToken ct)
    {
        LogNotification(message.RecipientOrgId, message.Kind, message.Details);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notify organization {RecipientOrgId} of {Kind}: {Details}")]
    private partial void LogNotification(long recipientOrgId, string kind, string details);
}

/// <summary>
/// Hands what the outbox holds to the notification queue, oldest first, in batches claimed with row locks that other
/// instances skip; each row is marked queued in the same transaction. A row is queued before the mark commits, so a
/// crash in between queues it twice, which delivery tolerates (it sends only what is not sent yet).
/// </summary>
public static class DispatchOutbox
{
    /// <param name="QueuedBefore">Also the unsent rows queued before this instant: where the queue died with the
    /// process that held it (Hangfire's in-memory storage on SQLite), its successor queues them again.</param>
    public sealed record Command(int BatchSize = 100, DateTimeOffset? QueuedBefore = null) : IRequest<int>;

    public sealed class Handler(Database database, INotificationQueue queue, TimeProvider time) : IRequestHandler<Command, int>
    {
        public async Task<int> Handle(Command command, CancellationToken ct)
        {
            await using var session = new DbSession(database);
            await session.BeginAsync(ct);
            var (hint, suffix) = database.Dialect.SkipLocked;
            var ids = await session.QueryAsync<long>(
                database.Dialect.Limit(
                    $"""
                    SELECT id
                    FROM outbox {hint}
                    WHERE sent_at IS NULL
                      AND (queued_at IS NULL OR queued_at < @QueuedBefore)
                    ORDER BY id
                    """,
                    "@BatchSize") + $"\n{suffix}",
                new { command.BatchSize, command.QueuedBefore }, ct);
            foreach (var id in ids)
            {
                queue.Enqueue(id);
                await session.ExecuteAsync("UPDATE outbox SET queued_at = @QueuedAt WHERE id = @Id", new { Id = id, QueuedAt = time.GetUtcNow() }, ct);
            }
            await session.CommitAsync(ct);
            return ids.Count;
        }
    }
}
