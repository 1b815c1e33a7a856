using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Petitions.Api.Hosting;

/// <summary>
/// Limits per client address, in fixed windows: online submissions (<c>RateLimits:SubmissionsPerHour</c>, default 10),
/// lookups and evaluations (<c>RateLimits:LookupsPerMinute</c>, default 30) and sign-ins by token or form
/// (<c>RateLimits:SignInsPerMinute</c>, default 30; each checks a password, 100,000 rounds of PBKDF2 paid by the
/// service and not the guesser, and the lock of one account does not stop guesses spread over many). A limit counts
/// the requests that do its work: looking at the submission form is not a submission. Past a limit the answer is a
/// 429 problem with <c>Retry-After</c>; the sign-in and submission forms come back with a message instead.
/// </summary>
public static class RateLimits
{
    public const string Submissions = "public-submissions";
    public const string Lookups = "public-lookups";
    public const string SignIns = "sign-ins";

    public static IServiceCollection AddPublicRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        // The limiter throws on a limit below one when a request first needs it, a 500 for every request it guards: the
        // start is refused instead, naming the key; so are the failed lookups' guard's.
        services.AddOptions<RateLimitsOptions>().Bind(configuration.GetSection("RateLimits"))
            .Validate(o => o.SubmissionsPerHour >= 1, "RateLimits:SubmissionsPerHour must be at least 1.")
            .Validate(o => o.LookupsPerMinute >= 1, "RateLimits:LookupsPerMinute must be at least 1.")
            .Validate(o => o.SignInsPerMinute >= 1, "RateLimits:SignInsPerMinute must be at least 1.")
            .Validate(o => o.FailedLookups >= 1, "RateLimits:FailedLookups must be at least 1.")
            .Validate(o => o.FailedLookupWindow > TimeSpan.Zero, "RateLimits:FailedLookupWindow must be longer than zero, such as 00:15:00.")
            .ValidateOnStart();
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitsOptions>>((limiter, configured) =>
        {
            var limits = configured.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RejectedAsync;
            limiter.AddPolicy(Submissions, http => PostsPerAddress(http, limits.SubmissionsPerHour, TimeSpan.FromHours(1)));
            limiter.AddPolicy(Lookups, http => PerAddress(http, limits.LookupsPerMinute, TimeSpan.FromMinutes(1)));
            limiter.AddPolicy(SignIns, http => PostsPerAddress(http, limits.SignInsPerMinute, TimeSpan.FromMinutes(1)));
        });
        return services.AddRateLimiter(_ => { });
    }

    private static RateLimitPartition<string> PerAddress(HttpContext http, int permits, TimeSpan window) =>
        RateLimitPartition.GetFixedWindowLimiter(
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 });

    /// <summary>The page that shows a form answers its GET without counting it.</summary>
    private static RateLimitPartition<string> PostsPerAddress(HttpContext http, int permits, TimeSpan window) =>
        HttpMethods.IsPost(http.Request.Method) ? PerAddress(http, permits, window) : RateLimitPartition.GetNoLimiter("not-a-post");

    private static ValueTask RejectedAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait))
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        // A person at a form (sign-in, online submission) gets the form back, saying why, rather than a problem
        // document. What was typed is left behind: reading the refused form would be more of the work refused.
        if (FormPages.FirstOrDefault(page => http.Request.Path == page) is { } form) http.Response.Redirect(form + "?limited=1");
        return ValueTask.CompletedTask;
    }

    private static readonly string[] FormPages = ["/login", "/submit"];
}

/// <summary>The <c>RateLimits:*</c> configuration keys (README, "Configuration"), each counted per client address and
/// instance.</summary>
public sealed class RateLimitsOptions
{
    public int SubmissionsPerHour { get; set; } = 10;
    public int LookupsPerMinute { get; set; } = 30;
    public int SignInsPerMinute { get; set; } = 30;

    /// <summary>Wrong case-number/query-code pairs per address or case number within <see cref="FailedLookupWindow"/>
    /// before a 429 (<see cref="LookupGuard"/>).</summary>
    public int FailedLookups { get; set; } = 5;
    public TimeSpan FailedLookupWindow { get; set; } = TimeSpan.FromMinutes(15);
}
