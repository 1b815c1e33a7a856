using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Petitions.Api.Hosting;

/// <summary>
/// Limits on the anonymous endpoints, per client address, in fixed windows: online submissions
/// (<c>RateLimits:SubmissionsPerHour</c>, default 10) and lookups and evaluations (<c>RateLimits:LookupsPerMinute</c>,
/// default 30). Past a limit the answer is a 429 problem.
/// </summary>
public static class RateLimits
{
    public const string Submissions = "public-submissions";
    public const string Lookups = "public-lookups";

    public static IServiceCollection AddPublicRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var submissions = configuration.GetValue("RateLimits:SubmissionsPerHour", 10);
        var lookups = configuration.GetValue("RateLimits:LookupsPerMinute", 30);
        return services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Submissions, http => PerAddress(http, submissions, TimeSpan.FromHours(1)));
            limiter.AddPolicy(Lookups, http => PerAddress(http, lookups, TimeSpan.FromMinutes(1)));
        });
    }

    private static RateLimitPartition<string> PerAddress(HttpContext http, int permits, TimeSpan window) =>
        RateLimitPartition.GetFixedWindowLimiter(
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 });
}
