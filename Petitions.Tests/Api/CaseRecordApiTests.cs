using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Api;

/// <summary>
/// Over HTTP: a case's notices for staff within reach, a repeat refused with the earlier case named, and the case page
/// with the opinion on record, both evaluations and the notices; the petitioner's page offers the evaluation only when
/// it can be taken and keeps the comment.
/// </summary>
public sealed class CaseRecordApiTests(DatabaseServers servers) : ApiTest(StorageProvider.Sqlite, servers)
{
    private async Task<(string CaseNumber, string QueryCode)> RegisteredAsync(string token, Dictionary<string, object?> body)
    {
        var registered = await JsonAsync(await RegisterAsync(token, body));
        return (registered.GetProperty("caseNumber").GetString()!, registered.GetProperty("queryCode").GetString()!);
    }

    private Task<HttpResponseMessage> ActAsync(string token, string caseNumber, string action, object body) =>
        SendAsync(HttpMethod.Post, $"/api/petitions/{caseNumber}/actions/{action}", token, JsonContent.Create(body));

    private static Dictionary<string, object?> Accusation()
    {
        var body = PetitionBody();
        body["category"] = "accusation";
        body["involvedUnit"] = "城关派出所";
        body["subject"] = "举报派出所民警违规办案";
        return body;
    }

    [Fact]
    public async Task Staff_within_reach_list_a_cases_notices_and_nobody_else_does()
    {
        await using (await WorkflowHarness.StartAsync(Database, keys: Api.Keys)) { } // the city and the neighbouring county's desk
        var office = await TokenAsync("office");
        var (caseNumber, _) = await RegisteredAsync(office, Accusation());
        Assert.Equal(HttpStatusCode.OK, (await ActAsync(office, caseNumber, "accept", new { unit = "330799-02" })).StatusCode);

        var listed = await JsonAsync(await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}/notices", office));
        var notice = Assert.Single(listed.EnumerateArray());
        Assert.Equal(("acceptance", "示范县公安局", true), (notice.GetProperty("kind").GetString(), notice.GetProperty("issuer").GetString(), notice.GetProperty("provisional").GetBoolean()));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}/notices", await TokenAsync("city"))).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}/notices", await TokenAsync("reception2"))).StatusCode); // another county
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}/notices", await TokenAsync("handler"))).StatusCode);    // the accused unit
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}/notices", null)).StatusCode);
        foreach (var hostile in new[] { "XF-330799-2026-999999", "%3Cscript%3E", "XF-330798-2026-000001", new string('9', 5000) })
            Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"/api/petitions/{hostile}/notices", office)).StatusCode);
    }

    [Fact]
    public async Task A_repeat_is_refused_naming_the_earlier_case_and_the_page_offers_to_mark_it_a_duplicate()
    {
        var office = await TokenAsync("office");
        var (earlier, _) = await RegisteredAsync(office, PetitionBody());
        Assert.Equal(HttpStatusCode.OK, (await ActAsync(office, earlier, "accept", new { unit = "330799-01" })).StatusCode);
        var (again, _) = await RegisteredAsync(office, PetitionBody());

        var refused = await ActAsync(office, again, "accept", new { unit = "330799-01" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await JsonAsync(refused);
        Assert.Equal(("repeat-in-handling", earlier), (problem.GetProperty("rule").GetString(), problem.GetProperty("relatedCaseNumber").GetString()));
        var future = await ActAsync(office, again, "accept", new { unit = "330799-01", acceptedOn = "9999-12-31" });
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        Assert.True((await JsonAsync(future)).GetProperty("errors").TryGetProperty("acceptedOn", out _));

        await SignInAsync("office");
        var page = await PostFormAsync($"/cases/{again}?handler=Act&action=accept", new()
        {
            ["__RequestVerificationToken"] = await FormTokenAsync($"/cases/{again}"),
            ["unit"] = "330799-01",
        });
        var html = await page.Content.ReadAsStringAsync(Ct);
        Assert.Contains("不再重复受理", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/cases/{earlier}\" data-testid=\"related-case\"", html, StringComparison.Ordinal);
        Assert.Contains($"id=\"mark-duplicate-earlierCaseNumber\" name=\"earlierCaseNumber\" type=\"text\" value=\"{earlier}\"", html, StringComparison.Ordinal);
        Assert.Equal(1, await Database.CountAsync("petitions", "stage = 'in-handling'"));
    }

    [Fact]
    public async Task The_case_page_shows_the_opinion_both_evaluations_and_the_notices()
    {
        var office = await TokenAsync("office");
        var (caseNumber, queryCode) = await RegisteredAsync(office, PetitionBody());
        var handler = await TokenAsync("handler");
        var leader = await TokenAsync("leader");
        await ActAsync(office, caseNumber, "accept", new { unit = "330799-01" });
        await ActAsync(handler, caseNumber, "submit-opinion", new { outcome = "explain", text = "初稿：已约谈施工方。" });

        await SignInAsync("leader");
        var review = await Browser.GetStringAsync($"/cases/{caseNumber}", Ct);
        Assert.Contains("初稿：已约谈施工方。", review, StringComparison.Ordinal); // the leader reads what to approve

        await ActAsync(leader, caseNumber, "return-opinion", new { reason = "请补充调查笔录" });
        var record = await JsonAsync(await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}", handler));
        Assert.Equal("初稿：已约谈施工方。", record.GetProperty("opinion").GetProperty("text").GetString());
        Assert.Equal("请补充调查笔录", record.GetProperty("opinion").GetProperty("versions")[0].GetProperty("reason").GetString());

        await ActAsync(handler, caseNumber, "submit-opinion", new { outcome = "support", text = "经调查属实，已责令停工。" });
        await ActAsync(leader, caseNumber, "approve-opinion", new { });
        await ActAsync(office, caseNumber, "record-service", new { servedOn = "2026-11-20", method = "in-person" });

        // The petitioner's page offers the evaluation now, and keeps the comment.
        var progress = await Browser.PostAsync("/progress?handler=Evaluate", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await FormTokenAsync("/progress"),
            ["CaseNumber"] = caseNumber,
            ["QueryCode"] = queryCode,
            ["Satisfaction"] = "basically-satisfied",
            ["Comment"] = "希望加强巡查",
        }), Ct);
        Assert.DoesNotContain("name=\"Satisfaction\"", await progress.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal); // evaluated: no longer offered
        await ActAsync(office, caseNumber, "record-return-visit", new { satisfaction = "satisfied", note = "电话回访" });

        var page = await Browser.GetStringAsync($"/cases/{caseNumber}", Ct);
        Assert.Contains("经调查属实，已责令停工。", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"opinion-versions\"", page, StringComparison.Ordinal);
        Assert.Contains("data-source=\"petitioner\"", page, StringComparison.Ordinal);
        Assert.Contains("希望加强巡查", page, StringComparison.Ordinal);
        Assert.Contains("data-source=\"return-visit\"", page, StringComparison.Ordinal);
        Assert.Contains("送达回证", page, StringComparison.Ordinal);
        var stored = await JsonAsync(await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}", office));
        Assert.Equal("basically-satisfied", stored.GetProperty("satisfaction").GetString());
        Assert.Equal(2, stored.GetProperty("evaluations").GetArrayLength());
    }
}
