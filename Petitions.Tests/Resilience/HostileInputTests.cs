using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using FluentValidation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Api.Endpoints;
using Petitions.Api.Http;
using Petitions.Domain;
using Petitions.Tests.Support;
using Petitions.Workflows.Features.Accounts;
using Petitions.Workflows.Features.Materials;
using Petitions.Workflows.Features.Supervision;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Tests.Resilience;

/// <summary>
/// Hostile input, generated from the live endpoint list: for every endpoint, forged, altered and expired tokens,
/// hostile route values and query strings, dates at the ends of the calendar on every date parameter, truncated and
/// malformed multipart bodies, a hostile Host and forwarded headers; for every body broken JSON, wrong types, deep
/// nesting, huge bodies, other media types, NUL characters, invalid codes, script and SQL text, extreme dates; for
/// every workflow action a transition its stage does not allow and a role it does not take; sign-in return addresses
/// that lead elsewhere. Every answer is below 500 and carries the security headers, every 4xx is an RFC 9457 problem
/// with its title and status, every redirect is a path of this site, no write is accepted, and the database is the
/// same afterwards, table by table. The audit log alone grows: it records every refused command and every view of
/// personal data, by design (and a wrong current password counts toward its user's lockout, also by design).
/// </summary>
public abstract partial class HostileInputTests(StorageProvider provider, DatabaseServers servers) : ApiTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : HostileInputTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : HostileInputTests(StorageProvider.Postgres, servers);

    /// <summary>Anonymous callers' limits would answer 429 before most hostile input is even read.</summary>
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["RateLimits:SubmissionsPerHour"] = "1000000",
        ["RateLimits:LookupsPerMinute"] = "1000000",
        ["RateLimits:FailedLookups"] = "1000000",
    };

    /// <summary>One hostile request and what must come of it.</summary>
    private sealed record Probe(string What, HttpMethod Method, string Path)
    {
        public string? Authorization { get; init; }
        public bool Cookie { get; init; }
        public byte[]? Body { get; init; }
        public string? MediaType { get; init; }
        public bool ExpectContinue { get; init; }

        /// <summary>Headers beyond the authorization: a hostile Host, forwarded headers, an Idempotency-Key.</summary>
        public IReadOnlyList<(string Name, string Value)> Headers { get; init; } = [];

        /// <summary>Kestrel answers it before the service sees it (a request line over its limit): no headers of ours.</summary>
        public bool Protocol { get; init; }

        /// <summary>The one status it must get, when the input decides it (401 forged token, 409 wrong stage …).</summary>
        public int? Expected { get; init; }

        /// <summary>A write that must be refused: a 3xx or 4xx, never a success.</summary>
        public bool Refused { get; init; }

        /// <summary>A page whose answer is a 403 page for people (<c>/denied</c>), not a problem for programs.</summary>
        public bool DeniedPage { get; init; }

        public override string ToString() => $"{Shorten(What, 100)}: {Method} {Shorten(Path, 100)}";
    }

    private sealed record Endpoint(string Pattern, string Method, string? Name, Type? Json, bool Form, bool Public, bool Cookie, MaterialUploadAttribute? Upload)
    {
        /// <summary>Takes files: a multipart body read part by part.</summary>
        public bool Multipart => Upload is not null && Method == "POST";

        public string? Action => Name?.StartsWith("Action:", StringComparison.Ordinal) == true ? Name["Action:".Length..] : null;
        public bool Writes => Method is "POST" or "PUT";
    }

    /// <summary>Petitions at every stage of the main route, the users who act on each, an order and a notice.</summary>
    private sealed class Targets
    {
        public Dictionary<string, string> ByStage { get; } = [];
        public Dictionary<string, string> Performers { get; } = [];
        public Dictionary<string, string> Tokens { get; } = [];
        public long OrderId { get; set; }
        public long NoticeId { get; set; }
        public long MaterialId { get; set; }
        public string Registered => ByStage["registered"];
        public string InHandling => ByStage["in-handling"];
        public string Final => ByStage["final"];

        public string For(ActionDefinition action) => action.From.Select(Codes.Of).Select(s => ByStage.GetValueOrDefault(s)).First(c => c is not null)!;
    }

    private static readonly string[] HostileText =
    [
        "<script>alert(1)</script>",
        "' OR '1'='1' --",
        "\"; DROP TABLE petitions; --",
        "../../../../etc/passwd",
        "\u202EXF-330799-2026-000001",
        "𠀀😀\u200d",
        "%",
        new('9', 5000),
        "XF-330799-2026-999999",
    ];

    [Fact]
    public async Task Thousands_of_hostile_requests_get_4xx_problems_with_the_security_headers_and_change_nothing()
    {
        var targets = await PrepareAsync();
        var endpoints = Endpoints();
        var probes = endpoints.SelectMany(e => Generate(e, targets)).Concat(await PageFormsAsync(targets)).ToList();
        var before = await SnapshotAsync();

        // Without cookies or redirects, so that what each request gets is its own answer; an oversized body waits for the
        // service's 413 however long a loaded machine takes, instead of racing it into a broken pipe.
        using var plain = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, Expect100ContinueTimeout = TimeSpan.FromMinutes(1) })
        {
            BaseAddress = Client.BaseAddress,
        };
        var failures = new List<string>();
        var statuses = new List<int>();
        foreach (var probe in probes)
        {
            using var response = await SendAsync(plain, probe);
            statuses.Add((int)response.StatusCode);
            if (await FailureAsync(probe, response) is { } failure) failures.Add($"{probe} → {failure}");
        }
        var after = await SnapshotAsync();

        Assert.True(failures.Count == 0, $"{failures.Count} of {probes.Count} answers were wrong:\n{string.Join("\n", failures.Take(100))}");
        var changed = before.Keys.Where(table => !before[table].SequenceEqual(after[table])).ToList();
        Assert.True(changed.Count == 0, $"Hostile requests changed {string.Join(", ", changed)}: "
            + string.Join("\n", changed.Select(t => $"{t}: {string.Join(" / ", after[t].Except(before[t]).Take(3))}")));
        Assert.True(probes.Count >= 3000, $"only {probes.Count} hostile requests");
        Assert.All(endpoints, e => Assert.Contains(probes, p => p.What.StartsWith($"{e.Method} {e.Pattern} ", StringComparison.Ordinal)));
        TestContext.Current.TestOutputHelper?.WriteLine($"{probes.Count} hostile requests to {endpoints.Count} endpoints and methods: "
            + string.Join(", ", statuses.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Key} ×{g.Count()}")));
    }

    [Fact]
    public void Date_parameters_are_all_known()
    {
        // The minimal API handlers' date parameters, and the report requests' text dates, which the API and the report
        // pages take under the same names.
        var reportDates = typeof(Petitions.Workflows.Features.Reports.IReportRequest).GetProperties()
            .Where(p => p.Name is "From" or "To").Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToHashSet();
        var taken = Api.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .SelectMany(e => e.Metadata.OfType<MethodInfo>())
            .SelectMany(m => m.GetParameters())
            .Where(p => IsDate(p.ParameterType) || (p.ParameterType == typeof(string) && reportDates.Contains(p.Name!)))
            .Select(p => p.Name!)
            .ToHashSet();

        Assert.True(taken.Count >= 5, $"found only {string.Join(", ", taken)}: the scan is broken");
        Assert.Subset(DateParameters.ToHashSet(), taken);
    }

    [Fact]
    public async Task Simultaneous_guesses_get_no_more_tries_than_the_guards_allow()
    {
        // This class lifts the failed-lookup limit for the generated requests; a second instance on the same database keeps it.
        await using var guarded = new ApiFactory(Database, settings: new Dictionary<string, string> { ["RateLimits:LookupsPerMinute"] = "1000000" });
        using var guardedClient = guarded.CreateClient();
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() }) { BaseAddress = guardedClient.BaseAddress };
        var registered = await JsonAsync(await RegisterAsync(await TokenAsync("reception"), PetitionBody()));
        var caseNumber = registered.GetProperty("caseNumber").GetString()!;
        var token = FormToken().Match(await browser.GetStringAsync("/progress", Ct)).Groups["token"].Value;
        Task<HttpResponseMessage> Guess(int i) => (i % 4) switch
        {
            0 => browser.GetAsync($"/api/public/petitions/{caseNumber}?queryCode=WRONG{i:D3}", Ct),
            1 => browser.PostAsync($"/api/public/petitions/{caseNumber}/evaluation", JsonContent($"{{\"queryCode\":\"WRONG{i:D3}\",\"satisfaction\":\"satisfied\"}}"), Ct),
            var kind => browser.PostAsync(kind == 2 ? "/progress" : "/progress?handler=Evaluate", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["CaseNumber"] = caseNumber, ["QueryCode"] = $"WRONG{i:D3}", ["Satisfaction"] = "satisfied",
            }), Ct),
        };

        var guesses = await Task.WhenAll(Enumerable.Range(0, 60).Select(Guess));

        Assert.Equal(5, guesses.Count(g => g.StatusCode != HttpStatusCode.TooManyRequests));
        Assert.All(guesses, g => Assert.True(g.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.NotFound or HttpStatusCode.OK, $"{g.StatusCode}"));
        Assert.All(guesses, g => Assert.Null(MissingSecurityHeader(g)));
        Assert.Equal(0, await Database.CountAsync("petition_events", "action = 'evaluate'"));

        // Passwords: simultaneous wrong ones all count, for sign-in and for the password change alike.
        var signIns = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            Client.PostAsync("/api/auth/token", JsonContent($"{{\"userName\":\"supervisor\",\"password\":\"wrong-{i}\"}}"), Ct)));
        var leader = await TokenAsync("leader");
        var changes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => SendAsync(HttpMethod.Post, "/api/auth/password", leader,
            JsonContent($"{{\"currentPassword\":\"wrong-{i}\",\"newPassword\":\"A-new-password-1\"}}"))));

        Assert.All(signIns, s => Assert.Equal(HttpStatusCode.Unauthorized, s.StatusCode));
        Assert.All(changes, c => Assert.Equal(HttpStatusCode.BadRequest, c.StatusCode));
        Assert.Equal([("leader", 20), ("supervisor", 30)],
            (await Database.QueryAsync<(string, int)>("SELECT user_name, failed_logins FROM users WHERE user_name IN ('leader', 'supervisor') ORDER BY user_name")).Select(r => (r.Item1, r.Item2)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.PostAsync("/api/auth/token", JsonContent($"{{\"userName\":\"supervisor\",\"password\":\"{TestData.Password}\"}}"), Ct)).StatusCode);
    }

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Requests no HTTP client library would send: raw bytes on the socket, with line breaks inside header
    /// values and a forged Host. Whatever reaches the service is answered by it, with the security headers and no
    /// injected header; what Kestrel refuses as malformed it answers itself with a bare 400.</summary>
    [Fact]
    public async Task Line_breaks_in_headers_and_a_forged_host_inject_nothing()
    {
        (string Request, bool ReachesService)[] requests =
        [
            ("GET /login?returnUrl=/%0d%0aSet-Cookie:%20stolen=1 HTTP/1.1\r\nHost: evil.example\r\n", true),
            ("GET /cases HTTP/1.1\r\nHost: evil.example\r\nX-Forwarded-Host: evil.example\r\nX-Forwarded-Proto: https\r\n", true),
            ("POST /login HTTP/1.1\r\nHost: evil.example\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\nConnection: close\r\n\r\na=b", true),
            ("GET /cases HTTP/1.1\r\nHost: evil.example\r\nX-Injected: a\rSet-Cookie: stolen=1\r\n", false),
            ("GET /cases HTTP/1.1\r\nHost: evil.example\r\nX-Folded: a\r\n Set-Cookie: stolen=1\r\n", false),
            ("GET /cases HTTP/1.1\r\nHost: evil.example\r\nHost: other.example\r\n", false),
            ("GET /cases HTTP/1.1\r\nHost: evil.example\r\nIdempotency-Key: \u00e9\u00e9\r\n", false),
            ("GET /login?returnUrl=/\u00e9 HTTP/1.1\r\nHost: evil.example\r\n", false),
            ("GET http://evil.example/cases HTTP/1.1\r\nHost: evil.example\r\n", true),
        ];
        foreach (var (request, reachesService) in requests)
        {
            var answer = await RawAsync(request.Contains("\r\n\r\n", StringComparison.Ordinal) ? request : request + "Connection: close\r\n\r\n");
            var head = answer.Split("\r\n\r\n")[0];
            var status = int.Parse(head.Split(' ')[1], CultureInfo.InvariantCulture);
            Assert.True(status < 500, $"{Shorten(request)} → {head}");
            Assert.DoesNotContain("stolen", head, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("evil.example", head, StringComparison.OrdinalIgnoreCase);
            if (reachesService) Assert.Contains("X-Content-Type-Options: nosniff", head, StringComparison.OrdinalIgnoreCase);
        }
    }

    private async Task<string> RawAsync(string request)
    {
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(Client.BaseAddress!.Host, Client.BaseAddress.Port, Ct);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request), Ct);
        using var reader = new StreamReader(stream, Encoding.Latin1);
        return await reader.ReadToEndAsync(Ct);
    }

    /// <summary>Script, SQL, quotes, emoji, direction marks, CJK beyond the basic plane and control characters; none
    /// starts or ends with white space, which registration trims from names and subjects.</summary>
    private static readonly string[] FreeTexts =
    [
        "<script>alert('xss')</script><img src=x onerror=alert(1)>",
        "'; DROP TABLE petitions; -- \" OR \"1\"=\"1",
        "Robert'); DELETE FROM petitions WHERE ('1'='1",
        "引号「」『』“”‘’ \"双\" 'single' `back` \\slash\\ %s {0} ${x} 100%_",
        "😀👍🏽👨‍👩‍👧 🇨🇳 𝐀𝐁𝐂",
        "\u202Eevil.exe\u202C \u200Fمرحبا\u200E שלום ltr",
        "噪音扰民 𠀀𪚥 繁體 ㊗ ｆｕｌｌ　ｗｉｄｔｈ",
        "tab\there\nline\r\ncr\rctl\u0001\u0007\u001b\u007f nel\u0085 ls\u2028ps\u2029 zw\u200b\u200d bom\ufeff end",
        "&lt;already&gt; &amp; &#x27; <!-- c --> ]]> \u00a0nbsp end",
    ];

    [Fact]
    public async Task Free_text_comes_back_exactly_as_sent_from_the_API_and_encoded_on_the_case_page()
    {
        var reception = await TokenAsync("reception");
        await SignInAsync("office");
        foreach (var text in FreeTexts)
        {
            var body = PetitionBody();
            body["petitioner"] = new { name = text, phone = TestData.PetitionerPhone, address = text };
            body["subject"] = text;
            body["content"] = text;
            body["involvedUnit"] = text;
            body["involvedOfficer"] = text;
            var registered = await RegisterAsync(reception, body);
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
            var caseNumber = (await JsonAsync(registered)).GetProperty("caseNumber").GetString();

            var stored = await JsonAsync(await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}", reception));
            var petitioner = stored.GetProperty("petitioner");
            Assert.All(
                new[] { stored.GetProperty("subject"), stored.GetProperty("content"), stored.GetProperty("involvedUnit"), stored.GetProperty("involvedOfficer"),
                    petitioner.GetProperty("name"), petitioner.GetProperty("address") },
                field => Assert.Equal(text, field.GetString()));

            var page = await Browser.GetStringAsync($"/cases/{caseNumber}", Ct);
            Assert.Contains(text, WebUtility.HtmlDecode(page), StringComparison.Ordinal);
            if (text.IndexOfAny(['<', '>', '&', '"', '\'']) >= 0) Assert.DoesNotContain(text, page, StringComparison.Ordinal); // encoded, never markup
        }
        Assert.DoesNotContain("<script>alert('xss')", await Browser.GetStringAsync("/cases", Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_with_a_NUL_character_is_refused_on_every_database()
    {
        var body = PetitionBody();
        body["content"] = "邻居夜间施工\u0000噪音扰民";

        var response = await RegisterAsync(await TokenAsync("reception"), body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await JsonAsync(response)).GetProperty("errors").TryGetProperty("content", out _));
        Assert.Equal(0, await Database.CountAsync("petitions"));
    }

    /// <summary>Every route of the service with its method, and what it takes, from the endpoint data source.</summary>
    private List<Endpoint> Endpoints() =>
        Api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e =>
            {
                var cookie = e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == SessionEndpoints.PagesPolicy);
                var methods = e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? (cookie ? ["GET", "POST"] : ["GET"]);
                var accepts = e.Metadata.GetMetadata<IAcceptsMetadata>();
                var json = accepts?.ContentTypes.Contains("application/json") == true ? accepts.RequestType : null;
                var form = accepts?.ContentTypes.Contains("application/x-www-form-urlencoded") == true;
                return methods.Select(m => new Endpoint("/" + e.RoutePattern.RawText!.Trim('/'), m, e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName,
                    json, form, e.Metadata.GetMetadata<IAllowAnonymous>() is not null, cookie, e.Metadata.GetMetadata<MaterialUploadAttribute>()));
            })
            .ToList();

    /// <summary>Petitions on every stage of the main route (through the workflows, with the service's keys), the
    /// users who would act on each, a supervision order and a notice; tokens for those users, all before the snapshot.</summary>
    private async Task<Targets> PrepareAsync()
    {
        var targets = new Targets();
        await using (var harness = await WorkflowHarness.StartAsync(Database, keys: Api.Keys))
        {
            var journey = new Journey(harness);
            for (var steps = 0; steps <= Journey.MainRoute.Length; steps++)
            {
                var caseNumber = await journey.RegisterAsync();
                foreach (var action in Journey.MainRoute[..steps]) await journey.DoAsync(caseNumber, action);
                targets.ByStage.TryAdd(Codes.Of((await journey.StateAsync(caseNumber)).Stage), caseNumber);
            }
            foreach (var action in PetitionWorkflowV2.Definition.Actions.Where(a => !a.IsFollowUp))
                targets.Performers[action.Code] = await journey.PerformerAsync(action, await journey.StateAsync(targets.For(action)));
            targets.OrderId = (await harness.SendAsync(new IssueSupervisionOrder.Command(
                targets.InHandling, "超期未办", "三日内书面答复", await journey.ActorAsync("supervisor")))).Id;
            targets.MaterialId = (await harness.SendAsync(new AttachMaterials.Command(targets.InHandling,
                [await Workflows.Materials.MaterialWorkflowTests.StageAsync(harness, MaterialSamples.Pdf("来信"), "来信.pdf")], await journey.ActorAsync("office"))))[0].Id;
        }
        targets.NoticeId = Assert.Single(await Database.QueryAsync<long>(
            "SELECT n.id FROM notices n JOIN petitions p ON p.id = n.petition_id WHERE p.case_number = @CaseNumber", new { CaseNumber = targets.InHandling }));
        foreach (var user in targets.Performers.Values.Concat(["reception", "office", "handler", "leader", "supervisor", "admin"]).Distinct())
            targets.Tokens[user] = await TokenAsync(user);
        var now = Api.Clock.GetUtcNow();
        Api.Clock.Set(now - TimeSpan.FromHours(3)); // tokens live an hour (Auth:AccessTokenLifetime)
        targets.Tokens["expired"] = await TokenAsync("admin");
        Api.Clock.Set(now);
        targets.Tokens["foreign"] = ForeignToken();
        await SignInAsync("office");
        return targets;
    }

    private IEnumerable<Probe> Generate(Endpoint endpoint, Targets targets)
    {
        var action = endpoint.Action is { } code ? PetitionWorkflowV2.Definition.Find(code) : null;
        var user = action is not null ? targets.Performers[action.Code] : UserFor(endpoint);
        var real = RealValues(endpoint, action, targets);
        var template = Template(endpoint, targets);
        var label = $"{endpoint.Method} {endpoint.Pattern} ";
        var method = new HttpMethod(endpoint.Method);
        var refused = endpoint.Writes && !endpoint.Cookie && !endpoint.Form;

        Probe Make(string what, string path, string? by = null, JsonNode? json = null) => new(label + what, method, path)
        {
            Authorization = endpoint.Cookie || by is null ? null : $"Bearer {targets.Tokens[by]}",
            Cookie = endpoint.Cookie,
            Body = json is null ? null : Encoding.UTF8.GetBytes(json.ToJsonString(Unescaped)),
            MediaType = json is null ? null : "application/json",
            Refused = refused,
            DeniedPage = endpoint.Pattern == "/denied",
        };
        // Signing out needs nothing but a token: any signed-in request to it is a success that ends the user's sessions.
        var authorized = endpoint.Public || endpoint.Name == "SignOut" ? null : user;
        var path = Fill(endpoint.Pattern, real);

        // Tokens: none of these may open anything (pages answer them with the sign-in page: they take cookies only).
        if (!endpoint.Public)
        {
            foreach (var (what, header) in ForgedTokens(targets))
                yield return Make(what, path, json: template) with { Authorization = header, Cookie = false, Expected = endpoint.Cookie ? 302 : 401 };
        }

        // Route values, one parameter at a time.
        foreach (var (name, hostile) in real.Keys.SelectMany(name => HostileRouteValues(name).Select(v => (name, v))))
            yield return Make($"route {name}={Shorten(hostile)}", Fill(endpoint.Pattern, new Dictionary<string, string>(real) { [name] = hostile }), authorized, template);

        if (endpoint.Method == "GET")
        {
            foreach (var query in HostileQueries)
                yield return Make($"query {Shorten(query)}", path + query, authorized) with { Protocol = query.Length > 500 };
            // Every date parameter of the service, one at a time, on every GET: where one is read it is a 400 naming it.
            foreach (var (name, date) in DateParameters.SelectMany(name => ExtremeDates.Select(date => (name, date))))
                yield return Make($"date {name}={date}", $"{path}?{name}={date}", authorized);
            // The service's own address never comes from the request: signed in, and as an anonymous caller below.
            yield return Make("hostile Host and forwarded headers", path, authorized) with { Headers = HostileHeaders };
        }
        yield return Make("anonymous, hostile Host and forwarded headers", path) with { Cookie = false, Headers = HostileHeaders };

        // Multipart bodies, cut short or malformed, to every path and method: the form is read (for its NUL check) before
        // anything else, so each is a 400 whoever sends it; a well-formed one is refused as the endpoint refuses any
        // other body it does not take. A write that reads no body at all (disable, close an order) would do its work
        // whatever came with it: a well-formed one goes there unsigned.
        var readsBody = !endpoint.Writes || endpoint.Json is not null || endpoint.Form || endpoint.Cookie;
        foreach (var (what, body, mediaType, expected) in Multiparts())
            yield return Make($"multipart: {what}", path, expected is null && !readsBody ? null : authorized) with { Body = body, MediaType = mediaType, Expected = expected };

        if (endpoint.Json is { } type)
        {
            var list = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>);
            Probe Raw(string what, byte[] body, string mediaType = "application/json", int? expected = null, bool expectContinue = false) =>
                Make(what, path, authorized) with { Body = body, MediaType = mediaType, Expected = expected, ExpectContinue = expectContinue };
            byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

            yield return Raw("broken JSON", Utf8("{\"subject\": \"噪音"));
            yield return Raw("not JSON", Utf8("<petition><subject>x</subject></petition>"));
            yield return Raw("empty body", []);
            yield return Raw("null", Utf8("null"));
            yield return Raw("wrong root", Utf8(list ? "{}" : "[]"));
            if (list) yield return Raw("null element", Utf8("[null]"));
            yield return Raw("a number", Utf8("42"));
            yield return Raw("trailing comma", Utf8(list ? "[{},]" : "{\"a\": 1,}"));
            yield return Raw("comment", Utf8("/* hi */ " + (list ? "[]" : "{}")));
            yield return Raw("deep nesting", Utf8(new string('[', 5000) + new string(']', 5000)));
            yield return Raw("deep nesting in a field", Utf8("{\"subject\": " + new string('[', 5000) + new string(']', 5000) + "}"));
            yield return Raw("2 MB body", Utf8("{\"content\": \"" + new string('x', 2_000_000) + "\"}"), expected: 413, expectContinue: true);
            yield return Raw("form instead of JSON", Utf8("subject=x&content=y"), "application/x-www-form-urlencoded", expected: 415);
            yield return Raw("text/plain", Utf8("{}"), "text/plain", expected: 415);

            var element = list ? type.GetGenericArguments()[0] : type;
            foreach (var property in JsonProperties(element))
            {
                var wrong = new JsonObject { [property.Name] = WrongValue(property.Type) };
                yield return Make($"wrong type {property.Name}", path, authorized, list ? new JsonArray(wrong) : wrong);
            }
            if (!TakesEmptyObject(element)) yield return Raw("empty object", Utf8(list ? "[{}]" : "{}"));
            if (template is not null)
            {
                foreach (var property in JsonProperties(element).Where(p => IsDate(p.Type)))
                {
                    var at = list ? $"[0].{property.Name}" : property.Name;
                    var values = (Nullable.GetUnderlyingType(property.Type) ?? property.Type) == typeof(DateOnly) ? ExtremeDates : ExtremeInstants;
                    foreach (var value in values) yield return Make($"extreme date {at}={value}", path, authorized, With(template, at, value));
                }
                if (endpoint.Name == "RegisterPetition")
                {
                    foreach (var key in HostileIdempotencyKeys)
                        yield return Make($"Idempotency-Key {Shorten(key, 20)}", path, authorized, template) with { Headers = [("Idempotency-Key", key)], Expected = 400 };
                }
                yield return Raw("invalid UTF-8 in every text", InvalidUtf8(template));
                yield return Make("NUL in every text", path, authorized, MapStrings(template, s => s + "\u0000"));
                // Each text over every length limit (10,000 at most), the body still under the 1 MiB the service reads.
                yield return Make("huge texts", path, authorized, MapStrings(template, s => new string('长', 10_001)));
                foreach (var (what, broken) in Broken(endpoint, template, targets)) yield return Make(what, path, authorized, broken);
            }
        }

        if (endpoint.Multipart)
        {
            // A page reads the files first and its antiforgery check then refuses the form (these bodies carry no token).
            foreach (var (what, body, mediaType, expected) in MultipartBodies(endpoint))
                yield return Make($"multipart: {what}", path, authorized) with { Body = body, MediaType = mediaType, Expected = endpoint.Upload!.Page ? 400 : expected };
        }

        if (endpoint.Form || (endpoint.Cookie && endpoint.Method == "POST"))
        {
            // Forms carry an antiforgery token; without it nothing is read. (PageFormsAsync sends forms that have it.)
            // The jobs dashboard and the administration pages are not the office's: they send them to the denied page
            // before reading anything.
            yield return Make("form without antiforgery token", path) with
            {
                Body = Encoding.UTF8.GetBytes("userName=%27+OR+%271%27%3D%271&password=x&Input.Subject=%3Cscript%3E"),
                MediaType = "application/x-www-form-urlencoded",
                Expected = endpoint.Pattern.StartsWith("/jobs", StringComparison.Ordinal) || endpoint.Pattern.StartsWith("/admin", StringComparison.Ordinal) ? 302 : 400,
            };
        }

        if (action is not null)
        {
            // A transition the stage does not allow (every action starts from a stage before final), and a role the action does not take.
            var elsewhere = action.From.Contains(Stage.Final) ? targets.Registered : targets.Final; // report-back is sent from final
            yield return Make("from a stage it does not allow", Fill(endpoint.Pattern, new Dictionary<string, string> { ["caseNumber"] = elsewhere }), user, template) with { Expected = 409 };
            yield return Make("by the administrator", path, "admin", template) with { Expected = 403 };
        }
        else if (endpoint.Writes && !endpoint.Public && !endpoint.Cookie && WrongUser(endpoint) is { } wrongUser)
        {
            yield return Make($"by {wrongUser}", path, wrongUser, template) with { Expected = 403 };
        }
    }

    /// <summary>Whether an empty body is a valid request of this type, by the validator that judges it: every field
    /// optional (a comment alone, a hearing's day that defaults to today).</summary>
    private bool TakesEmptyObject(Type payload)
    {
        if (Api.Services.GetService(typeof(IValidator<>).MakeGenericType(payload)) is not IValidator validator) return false;
        try
        {
            return validator.Validate(new ValidationContext<object>(RuntimeHelpers.GetUninitializedObject(payload))).IsValid;
        }
        catch (NullReferenceException)
        {
            return false; // a command the endpoint completes (its actor, the registration's) is never an empty body
        }
    }

    /// <summary>Who may call an endpoint that is not a workflow action.</summary>
    private static string UserFor(Endpoint endpoint) => endpoint.Pattern switch
    {
        var p when p.StartsWith("/api/admin", StringComparison.Ordinal) || p.StartsWith("/api/audit", StringComparison.Ordinal) => "admin",
        var p when p.EndsWith("/response", StringComparison.Ordinal) => "handler",
        var p when p.StartsWith("/api/supervision", StringComparison.Ordinal) => "supervisor",
        "/api/petitions" when endpoint.Method == "POST" => "reception",
        "/api/auth/password" => "reception",
        _ => "office",
    };

    /// <summary>A user whose roles do not allow a write, with an otherwise valid request.</summary>
    private static string? WrongUser(Endpoint endpoint) => endpoint.Name switch
    {
        "RegisterPetition" => "handler",
        "IssueSupervisionOrder" or "CloseSupervisionOrder" => "office",
        "RespondToSupervisionOrder" => "supervisor",
        "WithdrawMaterial" => "supervisor", // within reach, but neither the office, a leader nor who attached it
        var name when endpoint.Pattern.StartsWith("/api/admin", StringComparison.Ordinal) && name is not null => "office",
        _ => null,
    };

    /// <summary>Route values that name real things, so that the rest of a request decides.</summary>
    private static Dictionary<string, string> RealValues(Endpoint endpoint, ActionDefinition? action, Targets targets)
    {
        var values = new Dictionary<string, string>();
        foreach (Match parameter in Parameter().Matches(endpoint.Pattern))
        {
            var name = parameter.Groups["name"].Value;
            values[name] = name switch
            {
                "caseNumber" when action is not null => targets.For(action),
                "caseNumber" when endpoint.Public => targets.Registered,
                "caseNumber" => targets.InHandling,
                "noticeId" => targets.NoticeId.ToString(CultureInfo.InvariantCulture),
                "id" => targets.OrderId.ToString(CultureInfo.InvariantCulture),
                "materialId" => targets.MaterialId.ToString(CultureInfo.InvariantCulture),
                "year" => "2027",
                "userName" => "reception2",
                "code" => "330799",
                _ => throw new InvalidOperationException($"No real value for the route parameter {{{name}}} of {endpoint.Pattern}: add one."),
            };
        }
        return values;
    }

    private static IEnumerable<string> HostileRouteValues(string parameter) => parameter switch
    {
        "noticeId" or "id" or "materialId" => ["-1", "0", "9223372036854775807", "99999999999999999999", "1e3", "<script>"],
        "year" => ["0", "-1", "1999", "2147483647", "2147483648", "<script>"],
        _ => HostileText,
    };

    private static readonly string[] HostileQueries =
    [
        "?stage=<script>&unit=' OR 1=1 --&category=😀&channel=pigeon&text=\"'<>&after=garbage&sort=drop&state=nope&level=x&user=' OR '1'='1&caseNumber=<script>&queryCode=' OR 1=1&lang=<script>",
        "?limit=-1&before=abc&receivedFrom=2026-02-30&receivedTo=yesterday&from=13/45/2026&to=x&on=2026-99-01",
        "?limit=2147483648&before=-9223372036854775808&limit=1",
        "?limit=0&text=" + new string('噪', 600), // Kestrel itself answers a request line over 8 KB with a bare 414
        "?text=%00&user=%00&caseNumber=%00&unit=%00&queryCode=%00",
    ];

    /// <summary>Return addresses as a form sends them (decoded).</summary>
    private static readonly string[] ReturnUrls =
    [
        "/\t/evil.example", "\t/evil.example", "/\r\n/evil.example", "/x\r\nSet-Cookie: stolen=1", "\\\\evil.example", "/\\evil.example",
        "//evil.example", "///evil.example", " //evil.example", "/%2F/evil.example", "/%09/evil.example", "https://evil.example/", "javascript:alert(1)",
        "/cases?text=张三", "/案件\ud800", "／／evil.example", "/\u2028\u0085", "/\u007f", "/\u001b[31m", "/" + new string('长', 600),
    ];

    /// <summary>Return addresses as a link writes them, escapes and all.</summary>
    private static readonly string[] RawReturnUrls =
    [
        "%2F%09%2Fevil.example", "/%0d%0a/evil.example", "%0d%0aLocation:%20https://evil.example", "%5C%5Cevil.example", "/%5Cevil.example",
        "//evil.example", "/%2F/evil.example", "%2F%2Fevil.example", "%E5%BC%A0", "%ED%A0%80", "/%C0%AF", "/%FF%FE", "http:%2F%2Fevil.example",
    ];

    /// <summary>Every date parameter the live endpoints take: the dates of the minimal API's handlers, and the text dates
    /// of the reports (API and pages); <see cref="Date_parameters_are_all_known"/> checks the list against the endpoints.</summary>
    private static readonly string[] DateParameters = ["receivedFrom", "receivedTo", "from", "to", "on"];

    private static readonly string[] ExtremeDates = ["0001-01-01", "9999-12-31", "1899-12-31", "3000-01-01", "0000-01-01", "10000-01-01", "-2026-01-01"];

    private static readonly string[] ExtremeInstants =
        ["0001-01-01T00:00:00+08:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-08:00", "9999-12-31T23:59:59Z", "0001-01-01", "9999-12-31"];

    private static bool IsDate(Type type) => (Nullable.GetUnderlyingType(type) ?? type) is var plain && (plain == typeof(DateOnly) || plain == typeof(DateTimeOffset));

    /// <summary>Headers a proxy may set, or a client forge: none may change the service's idea of its own address.</summary>
    private static readonly (string, string)[] HostileHeaders =
    [
        ("Host", "evil.example"),
        ("X-Forwarded-Host", "evil.example"),
        ("X-Forwarded-Proto", "javascript"),
        ("X-Forwarded-For", "<script>, ' OR 1=1 --, 999.999.999.999"),
        ("X-Forwarded-Prefix", "//evil.example"),
        ("X-Original-URL", "/api/admin/accounts"),
        ("X-Rewrite-URL", "/api/admin/accounts"),
        ("X-HTTP-Method-Override", "DELETE"),
    ];

    private static readonly string[] HostileIdempotencyKeys = ["a b", "tab\there", new('k', 101), "\u007f"];

    /// <summary>Multipart bodies and what each must get (null: whatever the endpoint answers a body it does not take).</summary>
    private static IEnumerable<(string What, byte[] Body, string MediaType, int? Expected)> Multiparts()
    {
        byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
        const string part = "--b\r\nContent-Disposition: form-data; name=\"subject\"\r\n\r\n噪音扰民\r\n";
        yield return ("truncated", Utf8(part + "--b\r\nContent-Disposition: form-da"), "multipart/form-data; boundary=b", 400);
        yield return ("truncated in a file", Utf8("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nabc"), "multipart/form-data; boundary=b", 400);
        yield return ("no closing boundary", Utf8(part), "multipart/form-data; boundary=b", 400);
        yield return ("boundary not in the body", Utf8("no parts here"), "multipart/form-data; boundary=b", 400);
        yield return ("no boundary", Utf8(part + "--b--\r\n"), "multipart/form-data", 400);
        yield return ("boundary over 70 characters", Utf8(part + "--b--\r\n"), $"multipart/form-data; boundary={new string('b', 200)}", 400);
        yield return ("part without headers", Utf8("--b\r\n\r\nx\r\n--b--\r\n"), "multipart/form-data; boundary=b", null);
        yield return ("well-formed with a file", Utf8(part + "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"../../x.exe\"\r\n\r\nMZ\r\n--b--\r\n"), "multipart/form-data; boundary=b", null);
    }

    private static IEnumerable<(string What, string Header)> ForgedTokens(Targets targets)
    {
        var admin = targets.Tokens["admin"];
        var middle = admin.Length / 2;
        yield return ("token: garbage", "Bearer not-a-token");
        yield return ("token: altered", $"Bearer {admin[..middle]}{(admin[middle] == 'A' ? 'B' : 'A')}{admin[(middle + 1)..]}");
        yield return ("token: expired", $"Bearer {targets.Tokens["expired"]}");
        yield return ("token: another key", $"Bearer {targets.Tokens["foreign"]}");
        yield return ("token: empty", "Bearer ");
        yield return ("token: basic", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{TestData.Password}")));
    }

    /// <summary>A valid body for each endpoint that takes JSON: hostile variants start from it and break one thing.</summary>
    private static JsonNode? Template(Endpoint endpoint, Targets targets)
    {
        if (endpoint.Action is { } action) return Node(Journey.Payload(action, earlier: targets.Registered));
        var online = PetitionBody();
        online["channel"] = "online";
        online["bureau"] = "330799";
        return endpoint.Name switch
        {
            "IssueToken" => Node(new { userName = "nobody-at-all", password = "Not-The-Password-1" }),
            "ChangePassword" => Node(new { currentPassword = TestData.Password, newPassword = "Another-Password-2" }),
            "RegisterPetition" => Node(PetitionBody()),
            "SubmitPetitionOnline" => Node(online),
            "EvaluatePetition" => Node(new { queryCode = "ABCDEFGH", satisfaction = "satisfied" }),
            "IssueSupervisionOrder" => Node(new { caseNumber = targets.InHandling, problem = "超期未办", requirement = "三日内书面答复" }),
            "RespondToSupervisionOrder" => Node(new { response = "已整改" }),
            "AddOrganization" => Node(new { parent = "330799", code = "330799-09", name = "城东派出所", kind = "unit" }),
            "SetContactCard" => Node(new { enabled = true, phone = "0571-87654321" }),
            "ResetPassword" => Node(new { newPassword = "Another-Password-3" }),
            "SetUserRoles" => Node(new { roles = new[] { "office" } }),
            "SetProofOfService" => Node(new { methods = new[] { "in-person" } }),
            "WithdrawMaterial" => Node(new { reason = "上传了错误的文件" }),
            "AddUser" => Node(new { userName = "newclerk", displayName = "新接访员", password = "Long-Enough-Password-1", organization = "330799", roles = new[] { "reception" } }),
            "PublishHolidayTable" => Node(new[] { new { date = "2027-01-01", isOffDay = true, name = "元旦" } }),
            "PublishDeadlinePolicy" => Node(new
            {
                organization = "330799",
                rules = Enum.GetValues<ClockKind>().Select(DeadlinePolicy.National.Rule)
                    .Select(r => new { clock = Codes.Of(r.Kind), days = r.Days, count = Codes.Of(r.Count), rollForward = r.RollForward, warningLeadDays = r.WarningLeadDays }),
            }),
            _ => null,
        };
    }

    /// <summary>Invalid codes, script and SQL where codes go, missing or oversized fields: each breaks the template
    /// in one place the service must refuse (never a free-text field alone, where hostile text is fine).</summary>
    private static IEnumerable<(string What, JsonNode Body)> Broken(Endpoint endpoint, JsonNode template, Targets targets)
    {
        var script = "<script>alert(1)</script>";
        var sql = "' OR '1'='1' --";
        var sixRepresentatives = Node(Enumerable.Range(1, 6).Select(i => new { name = $"代表{i}", idNumber = TestData.IdNumberFor(new DateOnly(1970, 1, i), i) }));
        (string Path, JsonNode? Value)[] changes = (endpoint.Action ?? endpoint.Name) switch
        {
            "accept" or "reassign" => [("unit", script), ("unit", sql), ("unit", ""), ("unit", "330799")],
            "assign-officer" => [("officer", script), ("officer", sql), ("officer", ""), ("officer", "office"), ("officer", new string('x', 65))],
            "decline" => [("reason", ""), ("whereToGo", null)],
            "divert" => [("procedure", script), ("procedure", "litigation' --")],
            "forward" => [("organ", ""), ("organ", new string('x', 201))],
            "refer" => [("bureau", script), ("bureau", "330799"), ("bureau", TestData.OtherCountyCode)],
            "mark-duplicate" => [("earlierCaseNumber", script), ("earlierCaseNumber", "XF-330799-2026-999999"), ("earlierCaseNumber", targets.Registered)],
            "record-progress" => [("note", ""), ("note", new string('x', 2001))],
            "request-extension" => [("days", 0), ("days", 31), ("days", -1), ("days", int.MaxValue), ("reason", "")],
            "approve-extension" or "reject-extension" or "return-to-office" or "return-opinion" or "request-review" or "request-rereview" =>
                [("reason", ""), ("reason", new string('x', 2001))],
            "submit-opinion" or "submit-review-opinion" => [("outcome", sql), ("outcome", script), ("text", "")],
            "submit-rereview-opinion" => [("outcome", "order-rehandling"), ("text", "")],
            "record-service" => [("method", script), ("method", ""), ("servedOn", "2099-01-01")],
            "record-return-visit" => [("satisfaction", script), ("satisfaction", "")],
            "approve-opinion" or "start-hearing" or "end-hearing" or "finalize" or "take-charge" => [("comment", new string('x', 2001))],
            "IssueToken" => [("userName", sql), ("userName", script), ("password", sql), ("userName", null)],
            "ChangePassword" => [("newPassword", "short"), ("newPassword", null), ("currentPassword", sql)],
            "RegisterPetition" or "SubmitPetitionOnline" =>
            [
                ("channel", "pigeon"), ("channel", script), ("category", sql), ("petitioner.idNumber", "110105194912310021"),
                ("petitioner.idNumber", sql), ("petitioner.phone", script), ("petitioner.name", ""), ("petitioner", null), ("peopleCount", 0),
                ("peopleCount", 10_001), ("representatives", sixRepresentatives), ("receivedAt", "2099-01-01T00:00:00+08:00"),
                ("receivedAt", "2020-01-01T00:00:00+08:00"), ("subject", ""), ("subject", new string('x', 201)), ("content", new string('x', 10_001)),
                .. endpoint.Name == "SubmitPetitionOnline" ? new (string, JsonNode?)[] { ("bureau", script), ("bureau", sql), ("bureau", "330799-01"), ("channel", "visit") } : [],
            ],
            "EvaluatePetition" => [("satisfaction", script), ("queryCode", sql), ("queryCode", new string('A', 5000)), ("satisfaction", null)],
            "IssueSupervisionOrder" => [("caseNumber", script), ("caseNumber", sql), ("caseNumber", "XF-330799-2026-999999"), ("caseNumber", new string('9', 5000)), ("problem", ""), ("requirement", new string('x', 2001))],
            "RespondToSupervisionOrder" => [("response", ""), ("response", new string('x', 4001))],
            "AddOrganization" => [("kind", "galaxy"), ("parent", sql), ("code", script), ("code", "330799-01"), ("name", "")],
            "SetContactCard" => [("enabled", null), ("enabled", "yes"), ("phone", script), ("phone", sql), ("phone", "12345")],
            "SetProofOfService" => [("methods", null), ("methods", Node(new[] { "pigeon" })), ("methods", Node(new[] { script })), ("methods", Node(new[] { sql }))],
            "WithdrawMaterial" => [("reason", ""), ("reason", null), ("reason", new string('x', 501))],
            "AddUser" => [("roles", Node(new[] { "root" })), ("roles", Node(new[] { script })), ("roles", new JsonArray()), ("organization", sql),
                ("userName", "robert'); DROP TABLE users;--"), ("userName", "reception"), ("password", "short")],
            "ResetPassword" => [("newPassword", "short"), ("newPassword", null), ("newPassword", new string('x', 201))],
            "SetUserRoles" => [("roles", Node(new[] { "root" })), ("roles", Node(new[] { sql })), ("roles", new JsonArray()), ("roles", null)],
            "PublishHolidayTable" => [("[0].date", "2027-02-30"), ("[0].date", "2026-01-01"), ("[0].isOffDay", false), ("[0].name", "")],
            "PublishDeadlinePolicy" => [("organization", script), ("organization", "330799-01"), ("rules[0].count", "fortnightly"), ("rules[0].days", 0),
                ("rules[0].days", 366), ("rules[0].clock", script), ("rules[0].warningLeadDays", 400), ("rules", new JsonArray()), ("rules", new JsonArray((JsonNode?)null))],
            _ => [],
        };
        foreach (var (path, value) in changes) yield return ($"invalid {path}={Shorten(value?.ToJsonString() ?? "null")}", With(template, path, value));
    }

    /// <summary>Forms of the pages, sent with their antiforgery token: hostile fields must be refused beside the field, by
    /// a rule, or with a 4xx problem; nothing may be stored.</summary>
    private async Task<IEnumerable<Probe>> PageFormsAsync(Targets targets)
    {
        var token = await FormTokenAsync($"/cases/{targets.Registered}");
        var probes = new List<Probe>();
        var signInToken = await FormTokenAsync(); // the sign-in form is read without the pages' cookie
        async Task Form(string page, string what, string path, int? expected, params (string Name, string Value)[] fields)
        {
            var body = await new FormUrlEncodedContent([new("__RequestVerificationToken", page == "/login" ? signInToken : token), .. fields.Select(f => KeyValuePair.Create(f.Name, f.Value))]).ReadAsByteArrayAsync(Ct);
            probes.Add(new Probe($"POST {page} form: {what}", HttpMethod.Post, path)
            {
                Cookie = true, Body = body, MediaType = "application/x-www-form-urlencoded", Expected = expected,
            });
        }
        const string @case = "/cases/{caseNumber}";
        string[] registration = ["Input.Channel", "Input.Category", "Input.Petitioner.Name", "Input.Petitioner.Phone", "Input.Subject", "Input.Content"];
        (string, string)[] Registration(params string[] values) => registration.Zip(values).ToArray();

        await Form(@case, "script as the unit", $"/cases/{targets.Registered}?handler=Act&action=accept", null, ("unit", "<script>alert(1)</script>"));
        await Form(@case, "SQL as the unit", $"/cases/{targets.Registered}?handler=Act&action=accept", null, ("unit", "' OR '1'='1' --"));
        await Form(@case, "an unknown action", $"/cases/{targets.Registered}?handler=Act&action=%3Cscript%3E", 404);
        await Form(@case, "an unknown handler", $"/cases/{targets.Registered}?handler=%3Cscript%3E", 404);
        await Form(@case, "no handler", $"/cases/{targets.Registered}", 404);
        await Form("/supervision", "no handler", "/supervision", 404);
        await Form(@case, "accept a final petition", $"/cases/{targets.Final}?handler=Act&action=accept", null, ("unit", "330799-01"));
        await Form(@case, "days not a number", $"/cases/{targets.InHandling}?handler=Act&action=request-extension", null, ("days", "thirty"), ("reason", "案情复杂"));
        await Form(@case, "NUL in a note", $"/cases/{targets.InHandling}?handler=Act&action=record-progress", 400, ("note", "已走访\u0000调查"));
        await Form("/reception/register", "invalid codes", "/reception/register?handler=Register", null,
            Registration("pigeon", "' OR 1=1 --", "张三", "<script>", "<script>alert(1)</script>", "内容"));
        await Form("/reception/register", "check with a hostile ID number", "/reception/register?handler=Check", null,
            [.. Registration("visit", "complaint", "张三", "13912345678", "噪音", "内容"), ("Input.Petitioner.IdNumber", "' OR '1'='1' --")]);
        await Form("/reception/register", "people count not a number", "/reception/register?handler=Register", null,
            [.. Registration("visit", "complaint", "张三", "13912345678", "噪音", "内容"), ("Input.PeopleCount", "many")]);
        foreach (var day in new[] { "0001-01-01", "9999-12-31", "yesterday" })
            await Form("/reception/register", $"received on {day}", "/reception/register?handler=Register", null,
                [.. Registration("letter", "complaint", "张三", "13912345678", "噪音", "内容"), ("Input.ReceivedAt", day)]);
        await Form("/reception/register", "NUL in the content", "/reception/register?handler=Register", 400,
            Registration("visit", "complaint", "张三", "13912345678", "噪音", "邻居\u0000施工"));
        await Form("/reception/register", "3000 fields", "/reception/register?handler=Check", null,
            [.. Enumerable.Range(0, 3000).Select(i => ($"Input.Representatives[{i}].Name", "代表"))]);
        await Form("/submit", "script as the bureau", "/submit", null,
            ("Input.Bureau", "<script>alert(1)</script>"), ("Input.Petitioner.Name", "张三"), ("Input.Petitioner.Phone", "13912345678"), ("Input.Subject", "噪音"), ("Input.Content", "内容"));
        await Form("/submit", "SQL as the bureau", "/submit", null,
            ("Input.Bureau", "' OR '1'='1' --"), ("Input.Petitioner.Name", "张三"), ("Input.Petitioner.Phone", "13912345678"), ("Input.Subject", "噪音"), ("Input.Content", "内容"));
        await Form("/progress", "hostile case number and code", "/progress", null, ("CaseNumber", "<script>alert(1)</script>"), ("QueryCode", "' OR '1'='1' --"));
        await Form("/progress", "hostile evaluation", "/progress?handler=Evaluate", null,
            ("CaseNumber", targets.Registered), ("QueryCode", "' OR 1=1 --"), ("Satisfaction", "<script>"));
        await Form("/reception/receipt", "hostile case number", "/reception/receipt", null, ("caseNumber", "<script>alert(1)</script>"), ("queryCode", "' OR 1=1 --"));
        await Form("/reception/receipt", "wrong query code", "/reception/receipt", 404, ("caseNumber", targets.Registered), ("queryCode", "ABCDEFGH"));
        await Form("/login", "SQL as the user name", "/login", 302, ("userName", "' OR '1'='1' --"), ("password", "x"), ("returnUrl", "javascript:alert(1)"));
        // Return addresses that lead elsewhere, or break the Location header, as the form sends them and as a link
        // writes them: sign-in leads to a path of this site (FailureAsync checks every Location).
        foreach (var returnUrl in ReturnUrls)
        {
            await Form("/login", $"returnUrl {Shorten(returnUrl, 40)}", "/login", 302, ("userName", "office"), ("password", TestData.Password), ("returnUrl", returnUrl));
            probes.Add(new Probe($"GET /login returnUrl {Shorten(returnUrl, 40)}", HttpMethod.Get, $"/login?returnUrl={Uri.EscapeDataString(returnUrl)}") { Expected = 200 });
        }
        foreach (var raw in RawReturnUrls)
            probes.Add(new Probe($"GET /login returnUrl={raw}", HttpMethod.Get, $"/login?returnUrl={raw}") { Expected = 200 });
        // The sign-in form is read without a cookie, so the client that waits for the 413 can send it.
        probes.Add(new Probe("POST /login form: 2 MB", HttpMethod.Post, "/login")
        {
            Body = Encoding.UTF8.GetBytes("userName=" + new string('x', 2_000_000)), MediaType = "application/x-www-form-urlencoded", Expected = 413, ExpectContinue = true,
        });
        return probes;
    }

    /// <summary>Broken multipart bodies for an endpoint that takes files: cut short, under another boundary or none, with
    /// part headers over their limit, a part without its disposition, an empty file, too many files, an executable named
    /// like a scan, NUL in a field. An online submission's bodies carry a valid petition, so the files alone decide.</summary>
    private static IEnumerable<(string What, byte[] Body, string MediaType, int Expected)> MultipartBodies(Endpoint endpoint)
    {
        const string boundary = "hostile-boundary";
        var petitioner = endpoint.Upload!.Petitioner;
        var petition = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            bureau = "330799", category = "complaint", subject = "噪音", content = "内容",
            petitioner = new { name = "张三", phone = "13912345678" },
        }));
        (string Headers, byte[] Content) Field(string name, string value) => ($"Content-Disposition: form-data; name=\"{name}\"", Encoding.UTF8.GetBytes(value));
        (string Headers, byte[] Content) File(byte[] content, string name = "scan.pdf") =>
            ($"Content-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf", content);
        byte[] Body(params (string Headers, byte[] Content)[] parts)
        {
            (string, byte[])[] all = petitioner ? [($"Content-Disposition: form-data; name=\"petition\"\r\nContent-Type: application/json", petition), .. parts] : parts;
            var body = new MemoryStream();
            foreach (var (headers, content) in all)
            {
                body.Write(Encoding.UTF8.GetBytes($"--{boundary}\r\n{headers}\r\n\r\n"));
                body.Write(content);
                body.Write("\r\n"u8);
            }
            body.Write(Encoding.UTF8.GetBytes($"--{boundary}--\r\n"));
            return body.ToArray();
        }
        var type = $"multipart/form-data; boundary={boundary}";
        var letter = Body(Field("kind", "letter"), File(MaterialSamples.Pdf("来信")));

        yield return ("cut short", letter[..^40], type, 400);
        yield return ("cut before the first boundary", letter[..5], type, 400);
        yield return ("another boundary than the body's", letter, "multipart/form-data; boundary=other-boundary", 400);
        yield return ("no boundary", letter, "multipart/form-data", 400);
        yield return ("a boundary over 70 characters", letter, $"multipart/form-data; boundary={new string('b', 71)}", 400);
        yield return ("huge part headers", Body(Field("kind", "letter"), ($"Content-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\nX-Padding: {new string('x', 20_000)}", MaterialSamples.Pdf())), type, 400);
        yield return ("a part without Content-Disposition", Body(("Content-Type: text/plain", "x"u8.ToArray())), type, 400);
        yield return ("a zero-byte file", Body(Field("kind", "letter"), File([])), type, 400);
        if (!petitioner) yield return ("no file", Body(Field("kind", "letter")), type, 400); // an online submission needs none
        yield return ("too many files", Body([Field("kind", "letter"), .. Enumerable.Range(0, 11).Select(i => File(MaterialSamples.Pdf($"第{i}份")))]), type, 400);
        yield return ("an ELF executable named scan.pdf", Body(Field("kind", "letter"), File(MaterialSamples.Elf())), type, 415);
        yield return ("a Windows executable named with a direction override", Body(Field("kind", "letter"), File(MaterialSamples.WindowsProgram(), "photo\u202Egpj.exe")), type, 415);
        yield return ("NUL in a field", Body(Field("kind", "let\0ter"), File(MaterialSamples.Pdf())), type, 400);
        yield return ("an unknown kind", Body(Field("kind", "<script>alert(1)</script>"), File(MaterialSamples.Pdf())), type, 400);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpClient plain, Probe probe)
    {
        using var request = new HttpRequestMessage(probe.Method, probe.Path);
        if (probe.Body is not null)
        {
            request.Content = new ByteArrayContent(probe.Body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(probe.MediaType!);
        }
        request.Headers.ExpectContinue = probe.ExpectContinue;
        if (probe.Authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", probe.Authorization);
        foreach (var (name, value) in probe.Headers)
        {
            if (name == "Host") request.Headers.Host = value;
            else request.Headers.TryAddWithoutValidation(name, value);
        }
        return await (probe.Cookie ? Browser : plain).SendAsync(request, Ct);
    }

    /// <summary>What is wrong with an answer, or null: a 5xx, another status than the one the input decides, an
    /// accepted write, a missing security header, a redirect off this site, a 4xx that is not a problem with its title
    /// and status.</summary>
    private static async Task<string?> FailureAsync(Probe probe, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync(Ct);
        if (status >= 500) return $"{status} {Shorten(body)}";
        if (probe.Expected is { } expected && status != expected) return $"{status}, not {expected}: {Shorten(body)}";
        if (probe.Refused && status < 300) return $"accepted with {status}: {Shorten(body)}";
        if (!probe.Protocol && MissingSecurityHeader(response) is { } missing) return $"{status} without {missing}";
        if (response.Headers.Location is { } location && !IsPathOfThisSite(location.OriginalString)) return $"{status} to {location.OriginalString}";
        if (status < 400) return null;
        if (probe.DeniedPage && status == 403 && response.Content.Headers.ContentType?.MediaType == "text/html") return null;
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            return $"{status} as {response.Content.Headers.ContentType?.MediaType ?? "no content type"}: {Shorten(body)}";
        try
        {
            var problem = JsonNode.Parse(body)!;
            if (problem["status"]?.GetValue<int>() != status || string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()))
                return $"{status} problem without its status and title: {Shorten(body)}";
        }
        catch (JsonException)
        {
            return $"{status} problem that is not JSON: {Shorten(body)}";
        }
        return null;
    }

    /// <summary>A redirect a browser follows to this site only: one slash and a path, in visible ASCII.</summary>
    private static bool IsPathOfThisSite(string location) =>
        location.StartsWith('/') && !location.StartsWith("//", StringComparison.Ordinal) && location.All(c => c is > ' ' and < '\u007f' and not '\\');

    /// <summary>Every table but the audit log, row by row, in a stable order. A wrong current password sent to the
    /// password change counts toward its user's lockout, by design: the users' counts of failures are left out.</summary>
    private async Task<Dictionary<string, List<string>>> SnapshotAsync()
    {
        var tables = await Database.QueryAsync<string>(Database.Provider == StorageProvider.Sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            : "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
        var snapshot = new Dictionary<string, List<string>>();
        foreach (var table in tables.Where(t => t != "audit_log"))
        {
            var rows = await Database.QueryAsync<object>($"SELECT * FROM {table}");
            snapshot[table] = rows.Cast<IDictionary<string, object?>>()
                .Select(row => string.Join("|", row.Where(c => table != "users" || c.Key != "failed_logins")
                    .Select(c => $"{c.Key}={Convert.ToString(c.Value, CultureInfo.InvariantCulture)}")))
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        return snapshot;
    }

    /// <summary>A well-formed bearer ticket naming an administrator, sealed with a key the service never had.</summary>
    private static string ForeignToken()
    {
        var protector = new EphemeralDataProtectionProvider().CreateProtector(
            "Microsoft.AspNetCore.Authentication.BearerToken", BearerTokenDefaults.AuthenticationScheme, "BearerToken");
        var principal = Petitions.Api.Http.Claims.Principal(new SignIn.Response(1, "admin", "管理员", 1, [Role.Admin], 0), BearerTokenDefaults.AuthenticationScheme);
        return new TicketDataFormat(protector).Protect(new AuthenticationTicket(
            principal, new AuthenticationProperties { ExpiresUtc = DateTimeOffset.UtcNow.AddYears(10) }, BearerTokenDefaults.AuthenticationScheme));
    }

    /// <summary>The template as bytes, every string value replaced by bytes that are not UTF-8.</summary>
    private static byte[] InvalidUtf8(JsonNode template)
    {
        const string marker = "NOT-UTF-8";
        return [.. MapStrings(template, _ => marker).ToJsonString(Unescaped).Split(marker).SelectMany((part, i) => i == 0 ? Encoding.UTF8.GetBytes(part) : [0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes(part)])];
    }

    /// <summary>JSON as a client may send it: text as UTF-8, not escaped.</summary>
    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static JsonNode Node(object value) => JsonSerializer.SerializeToNode(value, JsonSerializerOptions.Web)!;

    /// <summary>A copy of the template with one value changed, at a path like "petitioner.idNumber" or "rules[0].count".</summary>
    private static JsonNode With(JsonNode template, string path, JsonNode? value)
    {
        var copy = template.DeepClone();
        var segments = PathSegment().Matches(path).Select(m => m.Groups["name"].Success ? (object)m.Groups["name"].Value : int.Parse(m.Groups["index"].Value, CultureInfo.InvariantCulture)).ToList();
        var node = copy;
        foreach (var segment in segments[..^1]) node = segment is string name ? node[name]! : node[(int)segment]!;
        if (segments[^1] is string last) node[last] = value?.DeepClone();
        else node[(int)segments[^1]] = value?.DeepClone();
        return copy;
    }

    /// <summary>A copy with every string value, at any depth, passed through a change.</summary>
    private static JsonNode MapStrings(JsonNode node, Func<string, string> change) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : MapStrings(p.Value, change)))),
        JsonArray a => new JsonArray([.. a.Select(e => e is null ? null : MapStrings(e, change))]),
        JsonValue v when v.TryGetValue<string>(out var text) => JsonValue.Create(change(text)),
        _ => node.DeepClone(),
    };

    /// <summary>The properties a JSON body of the type has, as the service names them.</summary>
    private static IEnumerable<(string Name, Type Type)> JsonProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .Select(p => (JsonNamingPolicy.CamelCase.ConvertName(p.Name), p.PropertyType));

    /// <summary>A JSON value the property's type cannot take.</summary>
    private static JsonNode WrongValue(Type type)
    {
        var plain = Nullable.GetUnderlyingType(type) ?? type;
        return plain == typeof(string) ? JsonValue.Create(12345)
            : plain == typeof(int) || plain == typeof(long) ? JsonValue.Create("thirty")
            : plain == typeof(bool) ? JsonValue.Create("yes")
            : plain == typeof(DateOnly) || plain == typeof(DateTimeOffset) ? JsonValue.Create("2026-02-30")
            : typeof(System.Collections.IEnumerable).IsAssignableFrom(plain) ? JsonValue.Create("not a list")
            : JsonValue.Create("not an object");
    }

    private static string Fill(string pattern, IReadOnlyDictionary<string, string> values) =>
        Parameter().Replace(pattern, m => Uri.EscapeDataString(values[m.Groups["name"].Value]));

    private static string Shorten(string text, int length = 200) => text.Length > length ? text[..length] + "…" : text;

    [GeneratedRegex(@"\{(?<name>[a-zA-Z]+)(:[a-z]+)?\}")]
    private static partial Regex Parameter();

    [GeneratedRegex(@"(?<name>[a-zA-Z]+)|\[(?<index>\d+)\]")]
    private static partial Regex PathSegment();
}
