using System.Net.Http.Json;
using Microsoft.Playwright;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Browser;

/// <summary>A leader reads the report dashboard in both languages, follows a bar and a figure to the cases behind
/// them, and downloads the report.</summary>
public sealed class ReportsJourneyTests(DatabaseServers servers, BrowserServer browsers) : ApiTest(StorageProvider.Sqlite, servers)
{
    [Theory]
    [InlineData("zh-CN", "信访统计报表", "信访形式", "来访 2", "全部信访件")]
    [InlineData("en", "Petition reports", "Channel", "Visit 2", "All petitions received")]
    public async Task The_dashboard_charts_the_year_and_every_number_leads_to_its_cases(
        string lang, string title, string channelChart, string visitBar, string allCases)
    {
        var reception = await TokenAsync("reception");
        var visits = new List<string>();
        foreach (var (channel, subject) in new[] { ("visit", "噪音扰民"), ("visit", "道路积水"), ("letter", "建议增设路灯") })
        {
            var body = PetitionBody();
            (body["channel"], body["subject"]) = (channel, subject);
            var registered = await JsonAsync(await RegisterAsync(reception, body));
            if (channel == "visit") visits.Add(registered.GetProperty("caseNumber").GetString()!);
        }
        var accept = await SendAsync(HttpMethod.Post, $"/api/petitions/{visits[0]}/actions/accept", await TokenAsync("office"), JsonContent.Create(new { unit = "330799-01" }));
        accept.EnsureSuccessStatusCode();

        var page = await (await browsers.NewContextAsync(Client.BaseAddress!.ToString())).NewPageAsync();
        await Pages.SignInAsync(page, "leader");
        await page.GotoAsync($"/reports?lang={lang}");

        Assert.Equal(title, await page.Locator("h1").TextContentAsync());
        Assert.Equal("3", await page.GetByTestId("received").TextContentAsync());
        var chart = page.GetByRole(AriaRole.Group, new() { Name = channelChart });
        Assert.Equal(1, await chart.CountAsync());
        Assert.Equal(11, await page.GetByTestId("chart-by-month").Locator("rect.bar").CountAsync()); // this year to date: January to November
        await BrowserServer.ShotAsync(page, $"reports-dashboard-{lang}");

        await chart.GetByRole(AriaRole.Link, new() { Name = visitBar }).ClickAsync();
        var listed = await page.GetByTestId("report-cases").Locator("tbody td:first-child").AllTextContentsAsync();
        Assert.Equal(visits.AsEnumerable().Reverse(), listed);
        await BrowserServer.ShotAsync(page, $"reports-cases-{lang}");

        await page.GoBackAsync();
        await page.GetByTestId("received").ClickAsync();
        Assert.Equal(allCases, await page.Locator("h1").TextContentAsync());
        Assert.Equal(3, await page.GetByTestId("report-cases").Locator("tbody tr").CountAsync());

        await page.GoBackAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "CSV" }).ClickAsync());
        var csv = await File.ReadAllBytesAsync((await download.PathAsync())!, Ct);
        Assert.Equal([0xEF, 0xBB, 0xBF], csv[..3]); // the byte-order mark Excel needs for Chinese
        Assert.Contains(lang == "en" ? "Petitions received,,3" : "信访总量,,3", System.Text.Encoding.UTF8.GetString(csv), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_handler_is_not_shown_the_reports()
    {
        var page = await (await browsers.NewContextAsync(Client.BaseAddress!.ToString())).NewPageAsync();
        await Pages.SignInAsync(page, "handler");

        var response = await page.GotoAsync("/reports");

        Assert.Equal(403, response!.Status);
        Assert.Contains("/denied", page.Url, StringComparison.Ordinal); // the page that says so
    }
}
