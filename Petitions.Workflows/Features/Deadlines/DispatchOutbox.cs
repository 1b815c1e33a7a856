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
/// Sends what the outbox holds, oldest first, in batches claimed with row locks that other instances skip; a
/// message is marked sent in the same transaction. A sender that fails leaves the message for the next pass.
/// </summary>
public static partial class DispatchOutbox
{
    public sealed record Command(int BatchSize = 100) : IRequest<int>;

    public sealed partial class Handler(Database database, INotificationSender sender, TimeProvider time, ILogger<Handler> log) : IRequestHandler<Command, int>
    {
        private sealed record Row
        {
            public long Id { get; init; }
            public string Kind { get; init; } = "";
            public long PetitionId { get; init; }
            public long RecipientOrgId { get; init; }
            public string Details { get; init; } = "";
        }

        public async Task<int> Handle(Command command, CancellationToken ct)
        {
            await using var session = new DbSession(database);
            await session.BeginAsync(ct);
            var (hint, suffix) = database.Dialect.SkipLocked;
            var rows = await session.QueryAsync<Row>(
                database.Dialect.Limit(
                    $"""
                    SELECT id               AS Id,
                           kind             AS Kind,
                           petition_id      AS PetitionId,
                           recipient_org_id AS RecipientOrgId,
                           details          AS Details
                    FROM outbox {hint}
                    WHERE sent_at IS NULL
                    ORDER BY id
                    """,
                    "@BatchSize") + $"\n{suffix}",
                new { command.BatchSize }, ct);
            var sent = 0;
            foreach (var row in rows)
            {
                var delivered = true;
                try
                {
                    await sender.SendAsync(new OutboxMessage(row.Id, row.Kind, row.PetitionId, row.RecipientOrgId, row.Details), ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    delivered = false;
                    LogFailed(e, row.Id);
                }
                await session.ExecuteAsync(
                    "UPDATE outbox SET sent_at = @SentAt, attempts = attempts + 1 WHERE id = @Id",
                    new { row.Id, SentAt = delivered ? time.GetUtcNow() : (DateTimeOffset?)null }, ct);
                if (delivered) sent++;
            }
            await session.CommitAsync(ct);
            return sent;
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {Id} was not delivered; it stays for the next pass")]
        private partial void LogFailed(Exception exception, long id);
    }
}
