using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Api;

/// <summary>
/// Scope by organization, generated from the live endpoint list: every user of one county — each role, the
/// administrator included — against the other county beside it, against the city above it and against the province.
/// Whatever names something of theirs (a petition, an organization, a user, a notice, an order) answers 403 or 404, and
/// changes nothing; every list answers without a trace of them. A new endpoint fails the test until it is classified
/// here, so nobody adds a door without saying who is kept out.
/// </summary>
public abstract partial class OrganizationScopeMatrixTests(StorageProvider provider, DatabaseServers servers) : ApiTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : OrganizationScopeMatrixTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : OrganizationScopeMatrixTests(StorageProvider.Postgres, servers);

    /// <summary>The county whose users try (the demo county) and its roles' users.</summary>
    private static readonly string[] CountyUsers = ["reception", "office", "handler", "leader", "supervisor", "admin"];

    /// <summary>What lies outside the county, and text that betrays it in any answer.</summary>
    private sealed record Outside(
        string[] CaseNumbers, string[] Organizations, string[] Users, long NoticeId, string NoticeCase, long OrderId, long MaterialId, string[] Markers);

    private async Task<JsonElement> OkAsync(HttpMethod method, string path, string token, object? body = null)
    {
        var response = await SendAsync(method, path, token, body is null ? null : JsonContent.Create(body));
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return response.StatusCode == HttpStatusCode.NoContent ? default : await JsonAsync(response);
    }

    /// <summary>The other county (330798) gets a unit and staff; it, the city and the province each register a petition;
    /// the other county accepts its petition (a notice), attaches a material, supervises it (an order) and publishes a
    /// policy.</summary>
    private async Task<Outside> OutsideAsync()
    {
        await TestData.SeedAsync(Api.Services);
        var root = await TokenAsync(TestData.ProvinceAdmin);
        await OkAsync(HttpMethod.Post, "/api/admin/organizations", root, new { parent = TestData.OtherCountyCode, code = "330798-01", name = "邻县城东派出所", kind = "unit" });
        foreach (var (user, organization, role) in new[]
                 {
                     ("b-admin", TestData.OtherCountyCode, "admin"), ("b-office", TestData.OtherCountyCode, "office"),
                     ("b-supervisor", TestData.OtherCountyCode, "supervisor"), ("b-handler", "330798-01", "handler"), ("city-admin", "330700", "admin"),
                 })
            await OkAsync(HttpMethod.Post, "/api/admin/users", root,
                new { userName = user, displayName = user, password = TestData.Password, organization, roles = new[] { role } });

        var other = (await JsonAsync(await RegisterAsync(await TokenAsync("reception2"), PetitionBody()))).GetProperty("caseNumber").GetString()!;
        var city = (await JsonAsync(await RegisterAsync(await TokenAsync("city"), PetitionBody()))).GetProperty("caseNumber").GetString()!;
        var province = (await JsonAsync(await RegisterAsync(await TokenAsync("province"), PetitionBody()))).GetProperty("caseNumber").GetString()!;
        var accepted = await OkAsync(HttpMethod.Post, $"/api/petitions/{other}/actions/accept", await TokenAsync("b-office"), new { unit = "330798-01" });
        var material = await SendAsync(HttpMethod.Post, $"/api/petitions/{other}/materials", await TokenAsync("b-office"),
            new Probe(HttpMethod.Post, "", MaterialSamples.Pdf()).Content());
        Assert.Equal(HttpStatusCode.Created, material.StatusCode);
        var order = await OkAsync(HttpMethod.Post, "/api/supervision/orders", await TokenAsync("b-supervisor"),
            new { caseNumber = other, problem = "进度缓慢", requirement = "三日内报告" });
        var national = await OkAsync(HttpMethod.Get, "/api/admin/policies", root);
        await OkAsync(HttpMethod.Post, "/api/admin/policies", await TokenAsync("b-admin"),
            new { organization = TestData.OtherCountyCode, rules = national[0].GetProperty("rules") });

        return new Outside(
            [other, city, province],
            [TestData.OtherCountyCode, "330798-01", "330700", "330000"],
            ["b-office", "b-handler", "reception2", "city", "province", "city-admin", TestData.ProvinceAdmin],
            accepted.GetProperty("notices")[0].GetInt64(), other, order.GetProperty("id").GetInt64(),
            (await JsonAsync(material))[0].GetProperty("id").GetInt64(),
            // Paths of the county's own organizations hold the codes 330000 and 330700, so those are told by case numbers.
            [TestData.OtherCountyCode, city, province, "b-office", "b-handler", "b-admin", "b-supervisor", "city-admin", TestData.ProvinceAdmin, "邻县"]);
    }

    private IReadOnlyList<RouteEndpoint> StaffEndpoints() =>
        Api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null
                        && e.RoutePattern.RawText is { } route && route.StartsWith("/api/", StringComparison.Ordinal)
                        && route is not ("/api/auth/password" or "/api/auth/logout")) // one's own password and sessions: nothing of anyone else's to name
            .ToList();

    /// <summary>A request of the endpoint aimed at something outside, with a body that is valid but for that. A list
    /// filtered by something outside (<paramref name="Filter"/>) may answer, with nothing from outside.</summary>
    private sealed record Probe(HttpMethod Method, string Path, object? Body, bool Filter = false)
    {
        /// <summary>The body as sent: JSON, or the form of a file (a material attached).</summary>
        public HttpContent? Content() => Body switch
        {
            null => null,
            byte[] file => new MultipartFormDataContent { { new StringContent("evidence"), "kind" }, { new ByteArrayContent(file), "file", "越权.pdf" } },
            _ => JsonContent.Create(Body),
        };
    }

    /// <summary>A request of a list, whose answer must carry nothing from outside.</summary>
    private static readonly Dictionary<string, string[]> Lists = new()
    {
        ["/api/petitions/"] =
        [
            "/api/petitions", "/api/petitions?stage=registered", "/api/petitions?category=complaint",
            // The other counties' petitions are the same person's on the same matter: a search by any of it finds none.
            "/api/petitions?text=噪音", $"/api/petitions?name={TestData.PetitionerName}", $"/api/petitions?phone={TestData.PetitionerPhone}",
            $"/api/petitions?idNumber={TestData.IdNumber}", "/api/petitions?due=next-7-days&sort=due", "/api/petitions?sort=unit",
        ],
        ["/api/workbench"] = ["/api/workbench"],
        ["/api/audit"] = ["/api/audit", "/api/audit?user=b-office", "/api/audit?limit=500"],
        ["/api/admin/accounts"] = ["/api/admin/accounts"],
        ["/api/admin/contact-cards"] = ["/api/admin/contact-cards"],
        ["/api/admin/policies"] = ["/api/admin/policies"],
        ["/api/supervision/overdue"] = ["/api/supervision/overdue"],
        ["/api/supervision/near-due"] = ["/api/supervision/near-due"],
        ["/api/supervision/orders"] = ["/api/supervision/orders", "/api/supervision/orders?state=issued"],
        ["/api/supervision/digests"] = ["/api/supervision/digests"],
        ["/api/reports/summary"] = ["/api/reports/summary", "/api/reports/summary?format=csv"],
        ["/api/reports/cases"] = ["/api/reports/cases?metric=received"],
    };

    /// <summary>What is the same for everyone: the national holiday table may be read by every bureau.</summary>
    private static readonly string[] National = ["/api/admin/holidays/{year}"];

    private static IEnumerable<Probe> Probes(string method, string route, Outside outside)
    {
        var verb = new HttpMethod(method);
        if (route.Contains("{caseNumber}", StringComparison.Ordinal))
        {
            foreach (var caseNumber in outside.CaseNumbers)
            {
                var path = route.Replace("{caseNumber}", caseNumber, StringComparison.Ordinal)
                    .Replace("{noticeId}", outside.NoticeId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                    .Replace("{materialId}", outside.MaterialId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
                var action = route.Contains("/actions/", StringComparison.Ordinal) ? route[(route.LastIndexOf('/') + 1)..] : null;
                object? body = action is not null ? Journey.Payload(action, outside.CaseNumbers[0])
                    : route.EndsWith("/withdraw", StringComparison.Ordinal) ? new { reason = "越权撤回" }
                    : (method, route) == ("POST", "/api/petitions/{caseNumber}/materials/") ? MaterialSamples.Pdf()
                    : null;
                yield return new Probe(verb, route.EndsWith("/receipt", StringComparison.Ordinal) ? path + "?queryCode=ABCDEFGH" : path, body);
            }
            yield break;
        }
        switch (method, route)
        {
            case ("PUT", "/api/admin/organizations/{code}/proof-of-service"):
                foreach (var code in outside.Organizations) yield return new Probe(verb, $"/api/admin/organizations/{code}/proof-of-service", new { methods = new[] { "post" } });
                break;
            case ("PUT", "/api/admin/organizations/{code}/contact-card"):
                foreach (var code in outside.Organizations) yield return new Probe(verb, $"/api/admin/organizations/{code}/contact-card", new { enabled = true, phone = "0579-82000000" });
                break;
            case ("POST", "/api/admin/users/{userName}/disable" or "/api/admin/users/{userName}/enable" or "/api/admin/users/{userName}/password"):
                foreach (var user in outside.Users)
                    yield return new Probe(verb, route.Replace("{userName}", user, StringComparison.Ordinal),
                        route.EndsWith("/password", StringComparison.Ordinal) ? new { newPassword = "Taken-Over-Password-1" } : null);
                break;
            case ("PUT", "/api/admin/users/{userName}/roles"):
                foreach (var user in outside.Users) yield return new Probe(verb, route.Replace("{userName}", user, StringComparison.Ordinal), new { roles = new[] { "admin" } });
                break;
            case ("POST", "/api/admin/organizations"):
                foreach (var parent in outside.Organizations)
                    yield return new Probe(verb, route, new { parent, code = $"x-{parent}", name = "越权机构", kind = parent.Contains('-', StringComparison.Ordinal) ? "unit" : "unit" });
                yield return new Probe(verb, route, new { parent = "330700", code = "330797", name = "越权县局", kind = "county" });
                break;
            case ("POST", "/api/admin/users"):
                foreach (var organization in outside.Organizations)
                    yield return new Probe(verb, route, new
                    {
                        userName = $"x{organization.Replace("-", "", StringComparison.Ordinal)}", displayName = "越权用户", password = TestData.Password, organization,
                        roles = new[] { organization.Contains('-', StringComparison.Ordinal) ? "handler" : "admin" },
                    });
                break;
            case ("POST", "/api/admin/policies"):
                foreach (var organization in outside.Organizations.Where(o => !o.Contains('-', StringComparison.Ordinal)))
                    yield return new Probe(verb, route, new { organization, rules = NationalRules });
                break;
            case ("PUT", "/api/admin/holidays/{year}"):
                // National: only the root of the tree changes it, and the county is not the root.
                yield return new Probe(verb, "/api/admin/holidays/2027", new[] { new { date = "2027-01-01", isOffDay = true, name = "元旦" } });
                break;
            case ("POST", "/api/supervision/orders"):
                foreach (var caseNumber in outside.CaseNumbers) yield return new Probe(verb, route, new { caseNumber, problem = "越权督办", requirement = "越权" });
                break;
            case ("POST", "/api/supervision/orders/{id}/response"):
                yield return new Probe(verb, $"/api/supervision/orders/{outside.OrderId}/response", new { response = "越权回复" });
                break;
            case ("POST", "/api/supervision/orders/{id}/close"):
                yield return new Probe(verb, $"/api/supervision/orders/{outside.OrderId}/close", null);
                break;
            case ("POST", "/api/petitions/"):
                // Registration names no other organization: staff register at their own bureau. Checked below.
                break;
            case ("GET", "/api/reports/summary" or "/api/reports/cases"):
                foreach (var org in outside.Organizations) yield return new Probe(verb, $"{route}?org={org}&metric=received", null);
                break;
            case ("GET", "/api/audit"):
                foreach (var caseNumber in outside.CaseNumbers) yield return new Probe(verb, $"{route}?caseNumber={caseNumber}", null, Filter: true);
                break;
            case ("GET", var list) when Lists.ContainsKey(list) || National.Contains(list):
                break;
            default:
                throw new InvalidOperationException($"{method} {route} is not classified in {nameof(OrganizationScopeMatrixTests)}: say what of another organization it could name.");
        }
    }

    private static JsonElement NationalRules => JsonSerializer.SerializeToElement(new[] { "intake", "referral-objection", "handling", "review-request", "review-decision", "rereview-request", "rereview-decision", "return-visit", "supervision-response" }
        .Select(clock => new { clock, days = 30, count = "calendar", rollForward = true, warningLeadDays = 3 }));

    [GeneratedRegex(@"\{(?<name>[a-zA-Z]+)(:[a-z]+)?\}")]
    private static partial Regex Parameter();

    [Fact]
    public async Task No_user_of_a_county_reads_or_changes_anything_of_another_county_the_city_or_the_province()
    {
        var outside = await OutsideAsync();
        var tables = new[] { "petitions", "petition_events", "organizations", "users", "user_roles", "deadline_policies", "holiday_days", "supervision_orders", "notices", "clocks", "materials" };
        var before = new Dictionary<string, long>();
        foreach (var table in tables) before[table] = await Database.CountAsync(table);
        var tokens = new Dictionary<string, string>();
        foreach (var user in CountyUsers) tokens[user] = await TokenAsync(user);
        var failures = new List<string>();
        var probes = 0;

        foreach (var endpoint in StaffEndpoints())
        {
            var route = Parameter().Replace(endpoint.RoutePattern.RawText!, m => $"{{{m.Groups["name"].Value}}}");
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                foreach (var probe in Probes(method, route, outside))
                {
                    foreach (var (user, token) in tokens)
                    {
                        probes++;
                        var response = await SendAsync(probe.Method, probe.Path, token, probe.Content());
                        var body = await response.Content.ReadAsStringAsync(Ct);
                        var answered = probe.Filter && response.StatusCode == HttpStatusCode.OK && !outside.Markers.Any(m => body.Contains(m, StringComparison.Ordinal));
                        if (!answered && response.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.NotFound))
                            failures.Add($"{user}: {probe.Method} {probe.Path} → {(int)response.StatusCode} {Truncate(body)}");
                    }
                }
                if (method != "GET" || !Lists.TryGetValue(route, out var lists)) continue;
                foreach (var list in lists)
                {
                    foreach (var (user, token) in tokens)
                    {
                        probes++;
                        var response = await SendAsync(HttpMethod.Get, list, token);
                        var body = await response.Content.ReadAsStringAsync(Ct);
                        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Forbidden))
                            failures.Add($"{user}: GET {list} → {(int)response.StatusCode} {Truncate(body)}");
                        foreach (var marker in outside.Markers.Where(m => body.Contains(m, StringComparison.Ordinal)))
                            failures.Add($"{user}: GET {list} shows '{marker}' from outside");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {probes} requests crossed the county's boundary:\n{string.Join("\n", failures)}");
        Assert.True(probes > 500, $"only {probes} requests: the matrix does not cover the staff API");
        foreach (var table in tables) Assert.True(before[table] == await Database.CountAsync(table), $"{table} changed");
    }

    [Fact]
    public async Task The_staff_pages_of_a_petition_outside_the_county_are_not_found()
    {
        var outside = await OutsideAsync();
        foreach (var user in CountyUsers.Where(u => u != "admin"))
        {
            using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() }) { BaseAddress = Client.BaseAddress };
            var token = FormToken().Match(await browser.GetStringAsync("/login", Ct)).Groups["token"].Value;
            await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["userName"] = user, ["password"] = TestData.Password,
            }), Ct);
            foreach (var caseNumber in outside.CaseNumbers)
            {
                var page = await browser.GetAsync($"/cases/{caseNumber}", Ct);
                Assert.True(page.StatusCode == HttpStatusCode.NotFound, $"{user}: /cases/{caseNumber} → {(int)page.StatusCode}");
            }
            var notice = await browser.GetAsync($"/cases/{outside.NoticeCase}/notices/{outside.NoticeId}", Ct);
            Assert.True(notice.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"{user}: notice → {(int)notice.StatusCode}");
            foreach (var path in new[] { "/", "/cases", $"/cases?idNumber={TestData.IdNumber}", "/cases?sort=due" })
            {
                var list = await browser.GetStringAsync(path, Ct);
                Assert.DoesNotContain(outside.Markers, list.Contains);
            }
        }
    }

    [Fact]
    public async Task Nobody_grants_more_than_they_hold()
    {
        await OutsideAsync();
        var admin = await TokenAsync("admin");
        Task<HttpResponseMessage> AddUserAsync(string token, string userName, string organization, params string[] roles) =>
            SendAsync(HttpMethod.Post, "/api/admin/users", token, JsonContent.Create(new { userName, displayName = userName, password = TestData.Password, organization, roles }));

        // Every role but the administrator's grants nothing, not even inside its own county.
        foreach (var user in CountyUsers.Where(u => u != "admin"))
            Assert.Equal(HttpStatusCode.Forbidden, (await AddUserAsync(await TokenAsync(user), $"by-{user}", "330799", "office")).StatusCode);
        // The county's administrator: above its county is not found; a role must fit the organization's level.
        Assert.Equal(HttpStatusCode.NotFound, (await AddUserAsync(admin, "up1", "330700", "leader")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await AddUserAsync(admin, "up2", "330000", "admin")).StatusCode);
        Assert.Equal("role-level", (await JsonAsync(await AddUserAsync(admin, "mix1", "330799", "handler"))).GetProperty("rule").GetString());
        Assert.Equal("role-level", (await JsonAsync(await AddUserAsync(admin, "mix2", "330799-01", "office"))).GetProperty("rule").GetString());
        Assert.Equal("own-account", (await JsonAsync(await SendAsync(HttpMethod.Post, "/api/admin/users/admin/disable", admin))).GetProperty("rule").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, "/api/admin/users/b-admin/disable", admin)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, "/api/admin/users/admin/disable", await TokenAsync("b-admin"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Post, "/api/admin/organizations", admin,
            JsonContent.Create(new { code = "330001", name = "无上级", kind = "province" }))).StatusCode);

        // Inside its own subtree it administers: a unit, its handler, another administrator; the city's administrator
        // reaches the county below it, and only the root changes the national holiday table.
        await OkAsync(HttpMethod.Post, "/api/admin/organizations", admin, new { parent = "330799", code = "330799-04", name = "交通管理大队", kind = "unit" });
        Assert.Equal(HttpStatusCode.OK, (await AddUserAsync(admin, "traffic", "330799-04", "handler")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await AddUserAsync(admin, "admin2", "330799", "admin", "supervisor")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/api/admin/users/traffic/disable", await TokenAsync("city-admin"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Put, "/api/admin/holidays/2027", await TokenAsync("city-admin"),
            JsonContent.Create(new[] { new { date = "2027-01-01", isOffDay = true, name = "元旦" } }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Put, "/api/admin/holidays/2027", await TokenAsync(TestData.ProvinceAdmin),
            JsonContent.Create(new[] { new { date = "2027-01-01", isOffDay = true, name = "元旦" } }))).StatusCode);
    }

    [Fact]
    public async Task An_administrator_keeps_accounts_and_rules_and_reads_no_petitions()
    {
        var caseNumber = (await JsonAsync(await RegisterAsync(await TokenAsync("reception"), PetitionBody()))).GetProperty("caseNumber").GetString()!;
        var admin = await TokenAsync("admin");

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}", admin)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, "/api/petitions", admin)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/admin/accounts", admin)).StatusCode);
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
