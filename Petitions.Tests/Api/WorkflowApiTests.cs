using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Api;

public sealed class WorkflowApiTests(DatabaseServers servers) : ApiTest(StorageProvider.Sqlite, servers)
{
    private async Task<(string Token, string CaseNumber, string QueryCode)> RegisteredAsync(Dictionary<string, object?>? body = null)
    {
        var token = await TokenAsync("office");
        var registered = await JsonAsync(await RegisterAsync(token, body ?? PetitionBody()));
        return (token, registered.GetProperty("caseNumber").GetString()!, registered.GetProperty("queryCode").GetString()!);
    }

    private Task<HttpResponseMessage> ActAsync(string token, string caseNumber, string action, object body) =>
        SendAsync(HttpMethod.Post, $"/api/petitions/{caseNumber}/actions/{action}", token, JsonContent.Create(body));

    [Fact]
    public async Task The_caller_sees_the_actions_open_to_them_and_performs_one()
    {
        var (token, caseNumber, _) = await RegisteredAsync();

        var open = await JsonAsync(await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}/actions", token));
        var accepted = await ActAsync(token, caseNumber, "accept", new { unit = "330799-01", comment = "请依法办理" });

        Assert.Equal(["accept", "decline", "divert", "forward", "refer", "mark-duplicate"], open.EnumerateArray().Select(a => a.GetProperty("action").GetString()));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var done = await JsonAsync(accepted);
        Assert.Equal(("in-handling", 2), (done.GetProperty("stage").GetString(), done.GetProperty("version").GetInt32()));
        Assert.Empty((await JsonAsync(await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}/actions", await TokenAsync("reception")))).EnumerateArray());
    }

    [Fact]
    public async Task Refusals_are_problems_that_say_why_and_change_nothing()
    {
        var (token, caseNumber, _) = await RegisteredAsync();

        var emptyUnit = await ActAsync(token, caseNumber, "accept", new { unit = "" });
        var unknownUnit = await ActAsync(token, caseNumber, "accept", new { unit = "999999-99" });
        var wrongType = await SendAsync(HttpMethod.Post, $"/api/petitions/{caseNumber}/actions/request-extension", token, new StringContent("{\"days\":\"thirty\"}", System.Text.Encoding.UTF8, "application/json"));
        var wrongStage = await ActAsync(token, caseNumber, "approve-opinion", new { });
        var wrongRole = await ActAsync(await TokenAsync("reception"), caseNumber, "accept", new { unit = "330799-01" });
        var noSuchAction = await ActAsync(token, caseNumber, "close-quietly", new { });

        Assert.Equal(HttpStatusCode.BadRequest, emptyUnit.StatusCode);
        Assert.True((await JsonAsync(emptyUnit)).GetProperty("errors").TryGetProperty("unit", out _));
        Assert.True((await JsonAsync(unknownUnit)).GetProperty("errors").TryGetProperty("unit", out _));
        Assert.True((await JsonAsync(wrongType)).GetProperty("errors").TryGetProperty("days", out _));
        Assert.Equal(HttpStatusCode.Conflict, wrongStage.StatusCode);
        Assert.Equal("wrong-stage", (await JsonAsync(wrongStage)).GetProperty("rule").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, wrongRole.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noSuchAction.StatusCode);
        Assert.Equal(1, await Database.CountAsync("petitions", "stage = 'registered' AND version = 1"));
        Assert.Equal(0, await Database.CountAsync("petition_events", "action <> 'register'"));
    }

    [Fact]
    public async Task Every_action_is_documented_with_its_own_body()
    {
        var document = JsonDocument.Parse(await Client.GetStringAsync("/openapi/v1.json", Ct)).RootElement;
        var paths = document.GetProperty("paths");

        foreach (var action in Petitions.Workflows.Workflow.PetitionWorkflowV2.Definition.Actions.Where(a => !a.IsFollowUp))
        {
            var operation = paths.GetProperty($"/api/petitions/{{caseNumber}}/actions/{action.Code}").GetProperty("post");
            Assert.True(operation.TryGetProperty("requestBody", out _), action.Code);
        }
        Assert.True(paths.TryGetProperty("/api/petitions/{caseNumber}/actions", out _));
    }

    [Fact]
    public async Task A_notice_prints_as_an_A4_page_with_every_value_escaped()
    {
        var body = PetitionBody();
        body["subject"] = "<script>alert('x')</script> 噪音";
        var (token, caseNumber, _) = await RegisteredAsync(body);
        var accepted = await JsonAsync(await ActAsync(token, caseNumber, "accept", new { unit = "330799-01" }));
        var noticeId = accepted.GetProperty("notices")[0].GetInt64();

        var page = await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}/notices/{noticeId}", token);
        var html = await page.Content.ReadAsStringAsync(Ct);

        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        foreach (var expected in new[] { "受理告知书", caseNumber, "城关派出所", "2027年1月19日", "示范县公安局", "@page { size: A4", TestData.PetitionerName })
            Assert.Contains(expected, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}/notices/{noticeId + 100}", token)).StatusCode);
    }

    [Fact]
    public async Task The_receipt_prints_the_query_code_only_for_the_right_code()
    {
        var (token, caseNumber, code) = await RegisteredAsync();

        var receipt = await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}/receipt?queryCode={code}", token);
        var wrong = await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}/receipt?queryCode=ABCDEFGH", token);

        var html = await receipt.Content.ReadAsStringAsync(Ct);
        foreach (var expected in new[] { "信访事项登记回执", caseNumber, code, "2026年12月7日", TestData.PetitionerName })
            Assert.Contains(expected, html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
    }

    [Fact]
    public async Task The_proof_of_service_says_by_when_to_ask_for_review()
    {
        var (office, caseNumber, _) = await RegisteredAsync();
        await ActAsync(office, caseNumber, "accept", new { unit = "330799-01" });
        await ActAsync(await TokenAsync("handler"), caseNumber, "submit-opinion", new { outcome = "reject", text = "反映问题不属实。" });
        var approved = await JsonAsync(await ActAsync(office, caseNumber, "approve-opinion", new { }));
        var served = await JsonAsync(await ActAsync(office, caseNumber, "record-service", new { servedOn = "2026-11-20", method = "in-person" }));

        var opinion = await (await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}/notices/{approved.GetProperty("notices")[0].GetInt64()}", office)).Content.ReadAsStringAsync(Ct);
        var proof = await (await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}/notices/{served.GetProperty("notices")[0].GetInt64()}", office)).Content.ReadAsStringAsync(Ct);

        foreach (var expected in new[] { "信访处理意见书", "不予支持", "反映问题不属实。", "30日内向金华市公安局提出复查请求" })
            Assert.Contains(expected, opinion, StringComparison.Ordinal);
        foreach (var expected in new[] { "送达回证", "直接送达", "2026年11月20日", "2026年12月21日前提出复查请求" }) // 11-20 + 30 = Sunday 12-20
            Assert.Contains(expected, proof, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_five_failed_lookups_the_address_is_refused_for_the_window_even_with_the_right_code()
    {
        var (_, caseNumber, code) = await RegisteredAsync();
        Task<HttpResponseMessage> Lookup(string queryCode) => Client.GetAsync($"/api/public/petitions/{caseNumber}?queryCode={queryCode}", Ct);

        var wrong = new List<int>();
        for (var i = 0; i < 5; i++) wrong.Add((int)(await Lookup($"WRONG{i:D3}")).StatusCode);
        var blocked = await Lookup(code);
        Api.Clock.Advance(TimeSpan.FromMinutes(16));
        var later = await Lookup(code);

        Assert.Equal([404, 404, 404, 404, 404], wrong);
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Equal("application/problem+json", blocked.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public async Task The_list_pages_by_cursor_and_filters()
    {
        var token = await TokenAsync("office");
        for (var i = 0; i < 5; i++) await RegisterAsync(token, PetitionBody().With("subject", $"事项 {i}"));
        var first = (await JsonAsync(await RegisterAsync(token, PetitionBody().With("subject", "施工噪音 特别")))).GetProperty("caseNumber").GetString()!;
        await ActAsync(token, first, "accept", new { unit = "330799-01" });

        var page1 = await JsonAsync(await SendAsync(HttpMethod.Get, "/api/petitions?limit=4", token));
        var page2 = await JsonAsync(await SendAsync(HttpMethod.Get, $"/api/petitions?limit=4&after={page1.GetProperty("next").GetString()}", token));
        var inHandling = await JsonAsync(await SendAsync(HttpMethod.Get, "/api/petitions?stage=in-handling", token));
        var byText = await JsonAsync(await SendAsync(HttpMethod.Get, "/api/petitions?text=%E7%89%B9%E5%88%AB", token)); // 特别
        var asHandler = await JsonAsync(await SendAsync(HttpMethod.Get, "/api/petitions", await TokenAsync("handler")));
        var badStage = await SendAsync(HttpMethod.Get, "/api/petitions?stage=lost", token);
        var badCursor = await SendAsync(HttpMethod.Get, "/api/petitions?after=nonsense", token);

        var numbers = page1.GetProperty("items").EnumerateArray().Concat(page2.GetProperty("items").EnumerateArray()).Select(i => i.GetProperty("caseNumber").GetString()).ToList();
        Assert.Equal(Enumerable.Range(1, 6).Reverse().Select(n => $"XF-330799-2026-{n:D6}"), numbers);
        Assert.Equal(JsonValueKind.Null, page2.GetProperty("next").ValueKind);
        Assert.Equal(first, Assert.Single(inHandling.GetProperty("items").EnumerateArray()).GetProperty("caseNumber").GetString());
        Assert.Equal("城关派出所", inHandling.GetProperty("items")[0].GetProperty("unit").GetString());
        Assert.Equal(first, Assert.Single(byText.GetProperty("items").EnumerateArray()).GetProperty("caseNumber").GetString());
        Assert.Equal(first, Assert.Single(asHandler.GetProperty("items").EnumerateArray()).GetProperty("caseNumber").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badStage.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badCursor.StatusCode);
    }

    [Fact]
    public async Task A_petitioner_submits_online_and_evaluates_once_after_service()
    {
        var body = PetitionBody().With("channel", "online").With("bureau", "330799");
        var submitted = await Client.PostAsJsonAsync("/api/public/petitions", body, Ct);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var registered = await JsonAsync(submitted);
        var caseNumber = registered.GetProperty("caseNumber").GetString()!;
        var code = registered.GetProperty("queryCode").GetString()!;
        async Task<HttpResponseMessage> Evaluate(string queryCode) =>
            await Client.PostAsJsonAsync($"/api/public/petitions/{caseNumber}/evaluation", new { queryCode, satisfaction = "basically-satisfied" }, Ct);

        var tooEarly = await Evaluate(code);
        var office = await TokenAsync("office");
        await ActAsync(office, caseNumber, "accept", new { unit = "330799-01" });
        var handler = await TokenAsync("handler");
        await ActAsync(handler, caseNumber, "submit-opinion", new { outcome = "explain", text = "已向施工方了解情况并作出解释。" });
        await ActAsync(office, caseNumber, "approve-opinion", new { });
        await ActAsync(office, caseNumber, "record-service", new { servedOn = "2026-11-20", method = "electronic" });
        var wrongCode = await Evaluate("ABCDEFGH");
        var evaluated = await Evaluate(code);
        var again = await Evaluate(code);

        Assert.Equal("online", (await JsonAsync(await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}", office))).GetProperty("channel").GetString());
        Assert.Equal((HttpStatusCode.Conflict, "not-served"), (tooEarly.StatusCode, (await JsonAsync(tooEarly)).GetProperty("rule").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, wrongCode.StatusCode);
        Assert.Equal(HttpStatusCode.OK, evaluated.StatusCode);
        Assert.Equal((HttpStatusCode.Conflict, "already-evaluated"), (again.StatusCode, (await JsonAsync(again)).GetProperty("rule").GetString()));
        Assert.Equal("basically-satisfied", Assert.Single(await Database.QueryAsync<string>("SELECT satisfaction FROM petitions")));
    }

    [Theory]
    [InlineData(null, "bureau")]
    [InlineData("visit", "channel")]
    public async Task An_online_submission_names_its_bureau_and_comes_online(string? channel, string field)
    {
        var body = PetitionBody().With("channel", channel ?? "online");
        if (field != "bureau") body["bureau"] = "330799";

        var response = await Client.PostAsJsonAsync("/api/public/petitions", body, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await JsonAsync(response)).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(0, await Database.CountAsync("petitions"));
    }

    [Fact]
    public async Task The_same_persons_earlier_petitions_on_the_matter_are_shown_and_the_first_is_flagged()
    {
        var token = await TokenAsync("reception");
        var first = await JsonAsync(await RegisterAsync(token, PetitionBody().With("subject", "邻居夜间施工噪音扰民")));
        var again = await JsonAsync(await RegisterAsync(token, PetitionBody().With("subject", "邻居夜间施工噪音扰民问题")));
        var other = await JsonAsync(await RegisterAsync(token, PetitionBody().With("subject", "户口迁移手续办理")));

        Assert.True(first.GetProperty("firstPetition").GetBoolean());
        Assert.Empty(first.GetProperty("possibleDuplicates").EnumerateArray());
        Assert.False(again.GetProperty("firstPetition").GetBoolean());
        var duplicate = Assert.Single(again.GetProperty("possibleDuplicates").EnumerateArray());
        Assert.Equal(first.GetProperty("caseNumber").GetString(), duplicate.GetProperty("caseNumber").GetString());
        Assert.True(duplicate.GetProperty("similarity").GetDouble() >= 0.5);
        Assert.True(other.GetProperty("firstPetition").GetBoolean());
        Assert.Equal(2, other.GetProperty("possibleDuplicates").GetArrayLength());
    }
}

public sealed class PublicRateLimitTests(DatabaseServers servers)
{
    [Fact]
    public async Task Past_the_limit_a_client_address_gets_429_problems()
    {
        await using var database = await servers.CreateAsync(StorageProvider.Sqlite);
        await using var api = new ApiFactory(database, settings: new Dictionary<string, string> { ["RateLimits:LookupsPerMinute"] = "3" });
        using var client = api.CreateClient();

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
            answers.Add(await client.GetAsync("/api/public/petitions/XF-330799-2026-000001?queryCode=ABCDEFGH", TestContext.Current.CancellationToken));

        Assert.Equal([404, 404, 404, 429, 429], answers.Select(a => (int)a.StatusCode));
        Assert.Equal("application/problem+json", answers[^1].Content.Headers.ContentType?.MediaType);
    }
}
