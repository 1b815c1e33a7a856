using Microsoft.Extensions.Options;

namespace Petitions.Api.Hosting;

/// <summary>
/// Refuses public lookups and evaluations after too many failed ones: <c>RateLimits:FailedLookups</c> (default 5) wrong
/// case-number/query-code pairs from one client address, or against one case number, within
/// <c>RateLimits:FailedLookupWindow</c> (default 15 minutes), earn a 429 until the window ends. Counted per instance.
/// </summary>
/// <remarks>
/// The count is exact under concurrency: a try is reserved before the code is checked, and only while the failures
/// so far plus the tries in flight stay under the limit. Beyond that a request waits for a try in flight to end (a
/// right code gives its reservation back, a wrong one becomes a failure), so simultaneous wrong codes get exactly the
/// limit's worth of answers and simultaneous right ones are only delayed, never refused.
/// </remarks>
public sealed class LookupGuard(IOptions<RateLimitsOptions> limits, TimeProvider time)
{
    /// <summary>A case number is at most 40 characters; a longer value names no petition and keys no further.</summary>
    private const int MaxCaseNumberKey = 40;

    private readonly int _limit = limits.Value.FailedLookups;
    private readonly TimeSpan _window = limits.Value.FailedLookupWindow;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = [];
    private TaskCompletionSource _tryEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Failures since the window began, and tries in flight.</summary>
    private sealed class Entry
    {
        public int Failures;
        public DateTimeOffset Since;
        public int InFlight;
    }

    /// <summary>Reserves a try for the address and case number, or answers null when they are blocked. The caller
    /// reports a wrong pair with <see cref="Try.Failed"/> and disposes the try when the answer is known.</summary>
    public async Task<Try?> BeginAsync(string address, string caseNumber, CancellationToken ct)
    {
        string[] keys = [$"address:{address}", $"case:{Normalize(caseNumber)}"];
        while (true)
        {
            Task ended;
            lock (_gate)
            {
                var now = time.GetUtcNow();
                var entries = keys.Select(k => Current(k, now)).ToArray();
                if (entries.Any(e => e.Failures >= _limit)) return null;
                if (entries.All(e => e.Failures + e.InFlight < _limit))
                {
                    foreach (var entry in entries) entry.InFlight++;
                    return new Try(this, keys);
                }
                ended = _tryEnded.Task;
            }
            await ended.WaitAsync(ct);
        }
    }

    /// <summary>The case number as the lookup reads it: a petition's number in any case or padding is one key.</summary>
    private static string Normalize(string caseNumber)
    {
        var normalized = caseNumber.Trim().ToUpperInvariant();
        return normalized.Length > MaxCaseNumberKey ? normalized[..MaxCaseNumberKey] : normalized;
    }

    /// <summary>The key's entry, its window begun afresh when it has passed. Under the gate.</summary>
    private Entry Current(string key, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            if (_entries.Count >= 100_000) Prune(now); // bounded memory under a flood of distinct keys
            _entries[key] = entry = new Entry { Since = now };
        }
        else if (now - entry.Since > _window)
        {
            entry.Failures = 0;
            entry.Since = now;
        }
        return entry;
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries.ToList())
            if (entry.InFlight == 0 && (entry.Failures == 0 || now - entry.Since > _window)) _entries.Remove(key);
    }

    private void End(string[] keys, bool failed)
    {
        TaskCompletionSource ended;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            foreach (var key in keys)
            {
                var entry = Current(key, now);
                entry.InFlight--;
                if (failed)
                {
                    if (entry.Failures == 0) entry.Since = now; // the window begins with the first failure
                    entry.Failures++;
                }
            }
            ended = _tryEnded;
            _tryEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        ended.SetResult();
    }

    /// <summary>One reserved try: disposing it gives the reservation back, or counts it as a failure.</summary>
    public sealed class Try(LookupGuard guard, string[] keys) : IDisposable
    {
        private bool _failed;
        private bool _ended;

        /// <summary>The case number and query code did not match.</summary>
        public void Failed() => _failed = true;

        public void Dispose()
        {
            if (_ended) return;
            _ended = true;
            guard.End(keys, _failed);
        }
    }
}

/// <summary>Applies <see cref="LookupGuard"/> to an endpoint that opens a petition with its query code, before anything
/// of the request is checked.</summary>
public sealed class LookupGuardFilter(LookupGuard guard) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        using var attempt = await guard.BeginAsync(
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown", http.Request.RouteValues["caseNumber"] as string ?? "", http.RequestAborted);
        if (attempt is null)
            return TypedResults.Problem(
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "Too many failed lookups",
                detail: "Too many wrong case numbers or query codes; wait a while and try again.");
        try
        {
            return await next(context);
        }
        catch (Petitions.Workflows.NotFoundException)
        {
            attempt.Failed();
            throw;
        }
    }
}
