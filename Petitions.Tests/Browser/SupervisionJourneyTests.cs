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

    [Theory]
    [InlineData("zh-CN", "待回复", "已办结")]
    [InlineData("en", "awaiting the answer", "closed")]
    public async Task A_supervisor_issues_an_order_the_unit_answers_it_and_the_supervisor_closes_it(string lang, string issued, string closed)
    {
        var caseNumber = (await JsonAsync(await RegisterAsync(await TokenAsync("reception"), PetitionBody()))).GetProperty("caseNumber").GetString()!;
        var accepted = await SendAsync(HttpMethod.Post, $"/api/petitions/{caseNumber}/actions/accept", await TokenAsync("office"),
            System.Net.Http.Json.JsonContent.Create(new { unit = "330799-01" }));
        Assert.Equal(System.Net.HttpStatusCode.OK, accepted.StatusCode);

        var supervisor = await (await browsers.NewContextAsync(Client.BaseAddress!.ToString())).NewPageAsync();
        await Pages.SignInAsync(supervisor, "supervisor");
        await supervisor.GotoAsync($"/cases/{caseNumber}?lang={lang}");
        await supervisor.Locator("form[action*='handler=IssueOrder'] button").ClickAsync();
        Assert.False(string.IsNullOrWhiteSpace(await supervisor.Locator("[data-error-for='order-problem']").TextContentAsync())); // beside the field
        Assert.False(string.IsNullOrWhiteSpace(await supervisor.Locator("[data-error-for='order-requirement']").TextContentAsync()));
        Assert.Equal(0, await Database.CountAsync("supervision_orders"));
        await BrowserServer.ShotAsync(supervisor, $"order-invalid-{lang}");

        await supervisor.Locator("#order-problem").FillAsync("超过办理期限仍未答复信访人");
        await supervisor.Locator("#order-requirement").FillAsync("三日内书面说明原因并提出办理计划");
        await supervisor.Locator("form[action*='handler=IssueOrder'] button").ClickAsync();
        Assert.Contains(issued, await supervisor.GetByTestId("order").TextContentAsync(), StringComparison.Ordinal);

        var handler = await (await browsers.NewContextAsync(Client.BaseAddress!.ToString())).NewPageAsync();
        await Pages.SignInAsync(handler, "handler");
        await handler.GotoAsync($"/cases/{caseNumber}?lang={lang}");
        await handler.Locator("#order-response").FillAsync("已约谈施工方，本周内答复信访人");
        await handler.Locator("form[action*='handler=RespondToOrder'] button").ClickAsync();
        Assert.Contains("已约谈施工方", await handler.GetByTestId("order").TextContentAsync(), StringComparison.Ordinal);
        await BrowserServer.ShotAsync(handler, $"order-answered-{lang}");

        await supervisor.GotoAsync("/supervision/orders?state=answered");
        await supervisor.GetByRole(AriaRole.Link, new() { Name = caseNumber }).ClickAsync();
        await supervisor.Locator("form[action*='handler=CloseOrder'] button").ClickAsync();
        Assert.Contains(closed, await supervisor.GetByTestId("order").TextContentAsync(), StringComparison.Ordinal);
        await supervisor.GotoAsync("/supervision/orders?state=closed");
        Assert.Equal(1, await supervisor.GetByTestId("orders").GetByRole(AriaRole.Link, new() { Name = caseNumber }).CountAsync());
        await BrowserServer.ShotAsync(supervisor, $"orders-closed-{lang}");
    }
}
