using System.Diagnostics.Metrics;

namespace Petitions.Workflows.Storage;

/// <summary>
/// A per-instance limit on concurrent database work: every <see cref="DbSession"/> takes a slot before it opens its
/// connection and gives it back when it ends, so the connection pool never runs dry under a burst. A session that finds
/// every slot taken waits in a queue for at most <see cref="StorageOptions.WorkQueueTimeout"/>; when the queue is full
/// too, or the wait runs out, it is refused with <see cref="DatabaseBusyException"/> (503 with Retry-After), having
/// written nothing. docs/decisions/0018.
/// </summary>
public sealed class DatabaseWork
{
    private readonly SemaphoreSlim _slots;
    private readonly TimeSpan _queueTimeout;
    private int _queued;
    private long _refused;

    public DatabaseWork(int limit, int queueLimit, TimeSpan queueTimeout)
    {
        Limit = limit;
        QueueLimit = queueLimit;
        _queueTimeout = queueTimeout;
        _slots = new SemaphoreSlim(limit, limit);
    }

    /// <summary>The defaults: four sessions per core of this instance, at least 8 (docs/decisions/0025), and with a pool
    /// no more than its size less a tenth (at least one), left for what opens connections outside the limit (the health
    /// check). Sessions beyond that mostly waited inside the database for the same rows (the case number, the report
    /// counters), which cost its CPU more than waiting here costs ours. The queue holds ten times the limit.</summary>
    public static DatabaseWork For(StorageOptions options, int? poolSize)
    {
        var perCore = Math.Max(8, 4 * Environment.ProcessorCount);
        var limit = options.MaxConcurrentWork
            ?? (poolSize is { } pool ? Math.Min(perCore, Math.Max(1, pool - Math.Max(1, pool / 10))) : perCore);
        if (limit < 1) throw new InvalidOperationException("Storage:MaxConcurrentWork must be at least 1.");
        var queueLimit = options.WorkQueueLimit ?? 10 * limit;
        if (queueLimit < 0) throw new InvalidOperationException("Storage:WorkQueueLimit cannot be negative.");
        if (options.WorkQueueTimeout < TimeSpan.Zero && options.WorkQueueTimeout != Timeout.InfiniteTimeSpan)
            throw new InvalidOperationException("Storage:WorkQueueTimeout cannot be negative (but -00:00:00.001, which waits without limit).");
        return new DatabaseWork(limit, queueLimit, options.WorkQueueTimeout);
    }

    public int Limit { get; }
    public int QueueLimit { get; }
    public int InUse => Limit - _slots.CurrentCount;
    public int Queued => Volatile.Read(ref _queued);

    /// <summary>Sessions refused since the instance started.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Takes a slot, waiting in the queue if need be; the slot is given back by disposing the result.</summary>
    public async ValueTask<IDisposable> EnterAsync(CancellationToken ct)
    {
        if (_slots.Wait(0)) return new Slot(_slots);
        if (Interlocked.Increment(ref _queued) > QueueLimit)
        {
            Interlocked.Decrement(ref _queued);
            throw Refuse("queue-full");
        }
        try
        {
            if (await _slots.WaitAsync(_queueTimeout, ct)) return new Slot(_slots);
        }
        finally
        {
            Interlocked.Decrement(ref _queued);
        }
        throw Refuse("queue-timeout");
    }

    /// <summary>Reports the slots in use, the queue and the limit as gauges of <paramref name="meter"/>.</summary>
    public void Observe(Meter meter)
    {
        meter.CreateObservableGauge("petitions.db.work.in_use", () => InUse, "{session}", "Database sessions working now (each holds a pooled connection).");
        meter.CreateObservableGauge("petitions.db.work.queued", () => Queued, "{session}", "Database sessions waiting for a slot.");
        meter.CreateObservableGauge("petitions.db.work.limit", () => Limit, "{session}", "The most database sessions that work at once (Storage:MaxConcurrentWork).");
    }

    private DatabaseBusyException Refuse(string reason)
    {
        Interlocked.Increment(ref _refused);
        return new DatabaseBusyException(reason);
    }

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) slots.Release();
        }
    }
}
