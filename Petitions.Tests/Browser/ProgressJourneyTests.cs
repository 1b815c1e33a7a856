using Microsoft.Playwright;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Browser;

public sealed class ProgressJourneyTests(DatabaseServers servers, BrowserServer browsers) : ApiTest(StorageProvider.Sqlite, servers)
{
    private async Task<(string CaseNumber, string QueryCode)> RegisterAsync()
    {
        var registered = await JsonAsync(await RegisterAsync(await TokenAsync("reception"), PetitionBody()));
        return (registered.GetProperty("caseNumber").GetString()!, registered.GetProperty("queryCode").GetString()!);
    }

    [Theory]
    [InlineData("zh-CN", "信访编号", "查询码", "查询", "已登记，待受理审查", "信访事项登记")]
    [InlineData("en", "Case number", "Query code", "Check", "Registered, awaiting review", "Petition registered")]
    public async Task A_petitioner_checks_progress_on_a_phone(string lang, string caseLabel, string codeLabel, string button, string stage, string step)
    {
        var (caseNumber, queryCode) = await RegisterAsync();
        await using var context = await browsers.NewContextAsync(Client.BaseAddress!.ToString(), phone: true);
        var page = await context.NewPageAsync();

        await page.GotoAsync($"/progress?lang={lang}");
        await page.GetByLabel(caseLabel, new() { Exact = true }).FillAsync(caseNumber);
        await page.GetByLabel(codeLabel, new() { Exact = true }).FillAsync(queryCode.ToLowerInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();

        var body = await page.Locator("main").TextContentAsync();
        Assert.Contains(stage, body, StringComparison.Ordinal);
        Assert.Contains(step, body, StringComparison.Ordinal);
        Assert.DoesNotContain(TestData.PetitionerName, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(queryCode, page.Url, StringComparison.OrdinalIgnoreCase);
        await BrowserServer.ShotAsync(page, $"progress-{lang}");
    }

    [Fact]
    public async Task A_wrong_code_says_so_and_reveals_nothing()
    {
        var (caseNumber, _) = await RegisterAsync();
        await using var context = await browsers.NewContextAsync(Client.BaseAddress!.ToString(), phone: true);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/progress");
        await page.GetByLabel("信访编号", new() { Exact = true }).FillAsync(caseNumber);
        await page.GetByLabel("查询码", new() { Exact = true }).FillAsync("ABCDEFGH");
        await page.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();

        Assert.Equal("信访编号与查询码不匹配。", await page.GetByRole(AriaRole.Alert).TextContentAsync());
        await BrowserServer.ShotAsync(page, "progress-wrong-code");
    }
}
