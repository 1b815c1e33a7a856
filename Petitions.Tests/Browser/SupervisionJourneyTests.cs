using Microsoft.Playwright;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Browser;

public sealed class SupervisionJourneyTests(DatabaseServers servers, BrowserServer browsers) : ApiTest(StorageProvider.Sqlite, servers)
{
    [Theory]
    [InlineData("zh-CN", "超期督查")]
    [InlineData("en", "Overdue board")]
    public async Task A_case_appears_on_the_overdue_board_once_time_passes_its_deadline(string lang, string title)
    {
        var registered = await JsonAsync(await RegisterAsync(await TokenAsync("reception"), PetitionBody())); // intake due 2026-12-07
        var caseNumber = registered.GetProperty("caseNumber").GetString()!;
        var page = await (await browsers.NewContextAsync(Client.BaseAddress!.ToString())).NewPageAsync();
        await Pages.SignInAsync(page, "supervisor");

        await page.GotoAsync($"/supervision?lang={lang}");
        Assert.Equal(title, await page.Locator("h1").TextContentAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = caseNumber }).CountAsync());

        Api.Clock.Set(ManualClock.Shanghai(2026, 12, 9)); // two days past the due day; yesterday's sign-in has lapsed
        await Pages.SignInAsync(page, "supervisor");
        await page.GotoAsync($"/supervision?lang={lang}");

        var row = page.Locator("[data-testid='board'] tbody tr", new() { Has = page.GetByRole(AriaRole.Link, new() { Name = caseNumber }) });
        Assert.Equal(1, await row.CountAsync());
        Assert.Equal("red", await row.GetAttributeAsync("class"));
        Assert.Equal("2", await row.Locator("td").Nth(4).TextContentAsync());
        Assert.Contains("1", await page.GetByTestId("per-unit").TextContentAsync(), StringComparison.Ordinal);
        await BrowserServer.ShotAsync(page, $"overdue-board-{lang}");
    }
}
