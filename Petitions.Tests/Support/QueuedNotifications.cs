using System.Collections.Concurrent;
using Petitions.Workflows.Features.Deadlines;

namespace Petitions.Tests.Support;

/// <summary>
/// The notification queue and sender of the workflows without the service's job scheduler: what the dispatcher
/// queues waits here for the test to deliver it, and what is sent is kept.
/// </summary>
public sealed class QueuedNotifications : INotificationQueue, INotificationSender
{
    public ConcurrentQueue<long> Queued { get; } = new();
    public ConcurrentQueue<OutboxMessage> Sent { get; } = new();

    public void Enqueue(long outboxId) => Queued.Enqueue(outboxId);

    public Task SendAsync(OutboxMessage message, CancellationToken ct)
    {
        Sent.Enqueue(message);
        return Task.CompletedTask;
    }
}
