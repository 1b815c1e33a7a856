using System.Collections.Concurrent;

namespace Petitions.Api.Hosting;

/// <summary>
/// Refuses public lookups and evaluations after too many failed ones: <c>RateLimits:FailedLookups</c> (default 5) wrong
/// case-number/query-code pairs from one client address, or against one case number, within
/// <c>RateLimits:FailedLookupWindow</c> (default 15 minutes), earn a 429 until the window ends. Counted per instance.
/// </summary>
public sealed class LookupGuard(IConfiguration configuration, TimeProvider time)
{
    private readonly int _limit = configuration.GetValue("RateLimits:FailedLookups", 5);
    private readonly TimeSpan _window = configuration.GetValue("RateLimits:FailedLookupWindow", TimeSpan.FromMinutes(15));
    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset Since)> _failures = new();

    public bool IsBlocked(string address, string caseNumber) => Count($"address:{address}") >= _limit || Count($"case:{caseNumber}") >= _limit;

    public void RecordFailure(string address, string caseNumber)
    {
        foreach (var key in new[] { $"address:{address}", $"case:{caseNumber}" })
        {
            var now = time.GetUtcNow();
            _failures.AddOrUpdate(key, (1, now), (_, current) => now - current.Since > _window ? (1, now) : (current.Failures + 1, current.Since));
        }
        if (_failures.Count > 100_000) Prune(); // bounded memory under a flood of distinct keys
    }

    private int Count(string key) =>
        _failures.TryGetValue(key, out var entry) && time.GetUtcNow() - entry.Since <= _window ? entry.Failures : 0;

    private void Prune()
    {
        var now = time.GetUtcNow();
        foreach (var (key, entry) in _failures)
            if (now - entry.Since > _window) _failures.TryRemove(key, out _);
    }
}

/// <summary>Applies <see cref="LookupGuard"/> to an endpoint that opens a petition with its query code.</summary>
public sealed class LookupGuardFilter(LookupGuard guard) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var caseNumber = http.Request.RouteValues["caseNumber"] as string ?? "";
        if (guard.IsBlocked(address, caseNumber))
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
            guard.RecordFailure(address, caseNumber);
            throw;
        }
    }
}
