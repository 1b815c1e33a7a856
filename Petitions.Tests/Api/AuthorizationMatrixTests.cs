using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Api;

/// <summary>Generated from the live endpoint list: every endpoint decides about authorization, and every one that
/// is not public refuses a caller without credentials.</summary>
public abstract partial class AuthorizationMatrixTests(StorageProvider provider, DatabaseServers servers) : ApiTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : AuthorizationMatrixTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : AuthorizationMatrixTests(StorageProvider.Postgres, servers);

    private IReadOnlyList<RouteEndpoint> Endpoints() =>
        Api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

    private static bool IsPublic(RouteEndpoint endpoint) => endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;



    [Fact]
    public void Every_endpoint_has_an_authorization_decision()
    {
        var undecided = Endpoints()
            .Where(e => !IsPublic(e) && e.Metadata.GetMetadata<IAuthorizeData>() is null)
            .Select(e => e.RoutePattern.RawText)
            .ToList();

        Assert.True(undecided.Count == 0, $"Endpoints without AllowAnonymous or RequireAuthorization: {string.Join(", ", undecided)}");
        Assert.True(Endpoints().Count(e => !IsPublic(e)) > 30); // the matrix below really covers the staff API
    }

    [Fact]
    public async Task Every_non_public_endpoint_answers_401_without_credentials()
    {
        foreach (var endpoint in Endpoints().Where(e => !IsPublic(e)))
        {
            var path = Parameter().Replace(endpoint.RoutePattern.RawText!, m => m.Groups["name"].Value switch
            {
                "caseNumber" => "XF-330799-2026-000001",
                "year" => "2026",
                _ => "1",
            });
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                var response = await Browser.SendAsync(request, Ct);
                // The API answers 401; a page sends the browser to the sign-in form.
                var isPage = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == Petitions.Api.Endpoints.SessionEndpoints.PagesPolicy);
                var refused = isPage
                    ? response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/login", StringComparison.Ordinal)
                    : response.StatusCode == HttpStatusCode.Unauthorized;
                Assert.True(refused, $"{method} {path}: {(int)response.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task Answers_carry_the_standard_security_headers()
    {
        var response = await Client.GetAsync("/health", Ct);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [GeneratedRegex(@"\{(?<name>[a-zA-Z]+)(:[a-z]+)?\}")]
    private static partial Regex Parameter();
}
