using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using Petitions.Api.Http;
using Petitions.Domain;
using Petitions.Workflows;
using Petitions.Workflows.Storage;

namespace Petitions.Api.Hosting;

/// <summary>
/// What operators watch: <c>/metrics</c> in the Prometheus format (ASP.NET Core's and the runtime's meters, Npgsql's
/// pool, and ours: <see cref="PetitionsMetrics"/>), open to administrators (cookie or bearer token) and to the
/// address ranges of <c>Metrics:AllowedNetworks</c> only; and <c>/health</c> as JSON, with the database work limiter's
/// state (docs/decisions/0018).
/// </summary>
public static class Operations
{
    public const string MetricsPath = "/metrics";

    /// <summary>The meters exported besides ours.</summary>
    private static readonly string[] Meters =
    [
        PetitionsMetrics.MeterName,
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.RateLimiting",
        "Microsoft.AspNetCore.Authentication",
        "Microsoft.AspNetCore.Authorization",
        "System.Runtime",
        "Npgsql",
    ];

    public static WebApplicationBuilder AddOperations(this WebApplicationBuilder builder)
    {
        var networks = AllowedNetworks(builder.Configuration);
        builder.Services.AddSingleton(new MetricsAccess(networks));
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(Meters).AddPrometheusExporter());
        builder.Services.AddHealthChecks().AddCheck<DatabaseWorkHealthCheck>("database-work");
        return builder;
    }

    /// <summary>Serves <c>/metrics</c> to those <see cref="MetricsAccess"/> lets in. Goes after authentication and the
    /// refusal of disabled users, so a token or cookie counts only while its user may still sign in.</summary>
    public static WebApplication UseMetricsEndpoint(this WebApplication app)
    {
        app.Services.GetRequiredService<PetitionsMetrics>(); // its gauges exist before the first scrape
        app.UseOpenTelemetryPrometheusScrapingEndpoint(meterProvider: null, predicate: null, path: MetricsPath, optionsName: null,
            configureBranchedPipeline: metrics => metrics.Use(async (context, next) =>
            {
                if (await context.RequestServices.GetRequiredService<MetricsAccess>().AllowsAsync(context) is { } refusal)
                    await refusal.ExecuteAsync(context);
                else
                    await next(context);
            }));
        return app;
    }

    /// <summary><c>/health</c> as JSON: the overall status and each check's, with what the checks report.</summary>
    public static readonly HealthCheckOptions Health = new()
    {
        // Degraded (the database work queue is in use) is still an answer a load balancer may route to.
        ResponseWriter = (context, report) =>
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            return context.Response.WriteAsync(JsonSerializer.Serialize(new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(
                    e => e.Key,
                    e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
            }, JsonSerializerOptions.Web));
        },
    };

    private static IReadOnlyList<IPNetwork> AllowedNetworks(IConfiguration configuration)
    {
        var section = configuration.GetSection("Metrics:AllowedNetworks");
        var values = section.Get<string[]>() ?? (section.Value is { } one ? [one] : []);
        return values
            .SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(v => IPNetwork.TryParse(v, out var network)
                ? network
                : throw new InvalidOperationException($"Metrics:AllowedNetworks: '{v}' is not an address range such as 10.0.0.0/8 or 127.0.0.1/32."))
            .ToList();
    }

    /// <summary>Who may read <c>/metrics</c>: a client from an allowed address range, or a signed-in administrator.
    /// Anyone else gets a 401 (not signed in) or 403 (signed in, not an administrator) problem.</summary>
    public sealed class MetricsAccess(IReadOnlyList<IPNetwork> networks)
    {
        public async Task<IResult?> AllowsAsync(HttpContext context)
        {
            if (context.Connection.RemoteIpAddress is { } address
                && networks.Any(n => n.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)))
                return null;
            var user = context.User;
            if (user.Identity?.IsAuthenticated != true
                && await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme) is { Succeeded: true } cookie)
                user = cookie.Principal;
            var actor = user.Actor();
            if (actor.Roles.Contains(Role.Admin)) return null;
            return actor.UserId is null
                ? TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Not signed in",
                    detail: "Metrics are for administrators (a token or the pages' sign-in) and for the addresses of Metrics:AllowedNetworks.")
                : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed", detail: "Metrics are for administrators.");
        }
    }

    /// <summary>The database work limiter: degraded while sessions wait for a slot, with its figures.</summary>
    private sealed class DatabaseWorkHealthCheck(Database database) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var work = database.Work;
            var data = new Dictionary<string, object>
            {
                ["inUse"] = work.InUse,
                ["limit"] = work.Limit,
                ["queued"] = work.Queued,
                ["queueLimit"] = work.QueueLimit,
                ["refused"] = work.Refused,
            };
            var description = $"{work.InUse} of {work.Limit} database sessions working, {work.Queued} waiting; {work.Refused} refused since start";
            return Task.FromResult(work.Queued > 0 ? HealthCheckResult.Degraded(description, data: data) : HealthCheckResult.Healthy(description, data));
        }
    }
}
