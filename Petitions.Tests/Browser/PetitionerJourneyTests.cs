using System.Net.Http.Json;
using Microsoft.Playwright;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Browser;

/// <summary>The petitioner's own pages, on a phone: submitting online, following progress, evaluating the outcome.</summary>
public sealed class PetitionerJourneyTests(DatabaseServers servers, BrowserServer browsers) : ApiTest(StorageProvider.Sqlite, servers)
{
    private async Task<IPage> PhoneAsync() => await (await browsers.NewContextAsync(Client.BaseAddress!.ToString(), phone: true)).NewPageAsync();

    private static async Task CheckProgressAsync(IPage page, string caseNumber, string queryCode)
    {
        await page.GotoAsync("/progress");
        await page.GetByLabel("信访编号", new() { Exact = true }).FillAsync(caseNumber);
        await page.GetByLabel("查询码", new() { Exact = true }).FillAsync(queryCode);
        await page.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
    }

    [Fact]
    public async Task A_petitioner_submits_online_and_follows_the_petition()
    {
        var page = await PhoneAsync();
        await page.GotoAsync("/submit");
        await page.GetByLabel("受理机关").SelectOptionAsync("330799");
        await page.GetByLabel("姓名").FillAsync(TestData.PetitionerName);
        await page.GetByLabel("身份证号码").FillAsync(TestData.IdNumber);
        await page.GetByLabel("联系电话").FillAsync(TestData.PetitionerPhone);
        await page.GetByLabel("事由").FillAsync("小区路灯损坏多日无人修理");
        await page.GetByLabel("主要内容").FillAsync("小区门口路灯坏了一个月，夜间出行不安全。");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交" }).ClickAsync();

        var caseNumber = (await page.GetByTestId("case-number").TextContentAsync())!;
        var queryCode = (await page.GetByTestId("query-code").TextContentAsync())!;
        await BrowserServer.ShotAsync(page, "submit-done");
        await CheckProgressAsync(page, caseNumber, queryCode);

        Assert.Contains("已登记，待受理审查", await page.Locator("main").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal("online", Assert.Single(await Database.QueryAsync<string>("SELECT channel FROM petitions")));
    }

    [Fact]
    public async Task A_bad_submission_is_marked_beside_its_fields_and_nothing_is_saved()
    {
        var page = await PhoneAsync();
        await page.GotoAsync("/submit");
        await page.GetByLabel("姓名").FillAsync(TestData.PetitionerName);
        await page.GetByLabel("身份证号码").FillAsync("110105194912310021");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交" }).ClickAsync();

        Assert.False(string.IsNullOrWhiteSpace(await page.Locator("[data-valmsg-for='Input.Bureau']").TextContentAsync()));
        Assert.Contains("校验位不正确", await page.Locator("[data-valmsg-for='Input.Petitioner.IdNumber']").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await Database.CountAsync("petitions"));
    }

    [Fact]
    public async Task A_petitioner_evaluates_the_outcome_once_after_service()
    {
        var office = await TokenAsync("office");
        var registered = await JsonAsync(await RegisterAsync(office, PetitionBody()));
        var caseNumber = registered.GetProperty("caseNumber").GetString()!;
        async Task Act(string token, string action, object body) =>
            (await SendAsync(HttpMethod.Post, $"/api/petitions/{caseNumber}/actions/{action}", token, JsonContent.Create(body))).EnsureSuccessStatusCode();
        await Act(office, "accept", new { unit = "330799-01" });
        await Act(await TokenAsync("handler"), "submit-opinion", new { outcome = "support", text = "已处理。" });
        await Act(office, "approve-opinion", new { });
        await Act(office, "record-service", new { servedOn = "2026-11-20", method = "post" });
        (await SendAsync(HttpMethod.Put, "/api/admin/organizations/330799/contact-card", await TokenAsync("admin"),
            JsonContent.Create(new { enabled = true, phone = "0571-87654321" }))).EnsureSuccessStatusCode();
        var page = await PhoneAsync();

        await CheckProgressAsync(page, caseNumber, registered.GetProperty("queryCode").GetString()!);
        var card = await page.GetByTestId("contact-card").TextContentAsync();
        Assert.True(card!.Contains("城关派出所", StringComparison.Ordinal) && card.Contains("0571-87654321", StringComparison.Ordinal), card);
        var reply = await page.GetByTestId("reply").TextContentAsync(); // the reply served, to read before evaluating it
        Assert.True(reply!.Contains("予以支持", StringComparison.Ordinal) && reply.Contains("已处理。", StringComparison.Ordinal), reply);
        Assert.Contains("如不服，可在此日前申请复查", await page.GetByTestId("due").TextContentAsync(), StringComparison.Ordinal);
        await page.GetByLabel("您对办理结果是否满意？").SelectOptionAsync("satisfied");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交评价" }).ClickAsync();

        Assert.Equal("感谢您的评价。", await page.GetByRole(AriaRole.Status).TextContentAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "提交评价" }).CountAsync()); // once
        Assert.Contains("评价办理结果", await page.Locator("ol.timeline").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal("satisfied", Assert.Single(await Database.QueryAsync<string>("SELECT satisfaction FROM petitions")));
        await BrowserServer.ShotAsync(page, "evaluated");
    }
}
