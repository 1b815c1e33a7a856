using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Browser;

/// <summary>A working day from the workbench: the office sees its queues with amber and red, opens the red ones,
/// finds a petition by the petitioner's name and sorts by deadline; a unit's handler sees the supervision order
/// waiting for the unit's answer and opens the orders page. In both languages, with screenshots.</summary>
public sealed class WorkdayJourneyTests(DatabaseServers servers, BrowserServer browsers) : ApiTest(StorageProvider.Sqlite, servers)
{
    private static ILocator Rows(IPage page) => page.Locator("table.cases tbody tr");

    [Theory]
    [InlineData("zh-CN", "工作台", "共 1 件")]
    [InlineData("en", "Workbench", "1 found")]
    public async Task The_office_opens_its_red_work_finds_a_petition_by_name_and_sorts_by_deadline(string lang, string title, string oneFound)
    {
        var noise = await NewPetitionAsync(); // intake due 2026-12-07
        var late = await NewPetitionAsync(body =>
        {
            body["petitioner"] = new { name = "赵六", phone = "13800000001" };
            body["subject"] = "报警后出警迟缓";
            body["receivedAt"] = "2026-11-01T09:00:00+08:00"; // intake due 2026-11-16: red
        });
        var page = await (await browsers.NewContextAsync(Client.BaseAddress!.ToString())).NewPageAsync();
        await Pages.SignInAsync(page, "office", lang);

        Assert.Equal(title, await page.Locator("h1").TextContentAsync());
        Assert.Equal("2", await page.GetByTestId("count-triage").TextContentAsync());
        Assert.EndsWith("1", (await page.GetByTestId("overdue-triage").TextContentAsync())!.Trim(), StringComparison.Ordinal);
        Assert.EndsWith("0", (await page.GetByTestId("near-due-triage").TextContentAsync())!.Trim(), StringComparison.Ordinal);
        Assert.Equal("1", await page.GetByTestId("board-overdue").TextContentAsync());
        await BrowserServer.ShotAsync(page, $"workbench-office-{lang}");

        await page.GetByTestId("overdue-triage").ClickAsync();
        Assert.Equal(1, await Rows(page).CountAsync());
        Assert.Equal(late, await Rows(page).First.Locator("td").First.TextContentAsync());
        Assert.Equal("red", await Rows(page).First.Locator("td").Last.GetAttributeAsync("class"));

        await page.GotoAsync("/cases");
        await page.Locator("#name").FillAsync("张三");
        await page.Locator("form.search button[type='submit']").ClickAsync();
        Assert.Equal(oneFound, await page.GetByTestId("total").TextContentAsync());
        Assert.Equal(noise, await Rows(page).First.Locator("td").First.TextContentAsync());
        Assert.Equal("张三", await page.Locator("#name").InputValueAsync()); // the search stays in its fields
        await BrowserServer.ShotAsync(page, $"search-by-name-{lang}");

        await page.Locator("#name").FillAsync("");
        await page.Locator("form.search button[type='submit']").ClickAsync();
        await page.Locator("th a[href*='sort=due']").ClickAsync();
        Assert.Equal("ascending", await page.Locator("th", new() { Has = page.Locator("a[href*='sort=due']") }).GetAttributeAsync("aria-sort"));
        Assert.Equal([late, noise], await Rows(page).Locator("td:first-child").AllTextContentsAsync());
        Assert.Equal("red", await Rows(page).First.Locator("td").Last.GetAttributeAsync("class"));
        await page.Locator("th a[href*='sort=due']").ClickAsync(); // again: the other way round
        Assert.Equal([noise, late], await Rows(page).Locator("td:first-child").AllTextContentsAsync());
        await BrowserServer.ShotAsync(page, $"search-by-deadline-{lang}");

        await page.Locator("#idNumber").FillAsync("123");
        await page.Locator("form.search button[type='submit']").ClickAsync();
        Assert.False(string.IsNullOrWhiteSpace(await page.Locator("[data-error-for='idNumber']").TextContentAsync())); // beside the field
        Assert.Equal(0, await Rows(page).CountAsync());
    }

    [Theory]
    [InlineData("zh-CN", "待回复", "督办单")]
    [InlineData("en", "awaiting the answer", "Supervision orders")]
    public async Task A_handler_sees_the_order_awaiting_the_units_answer_and_opens_the_orders_page(string lang, string issued, string ordersTitle)
    {
        var caseNumber = await NewPetitionAsync();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/petitions/{caseNumber}/actions/accept", await TokenAsync("office"),
            JsonContent.Create(new { unit = "330799-01" }))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/api/supervision/orders", await TokenAsync("supervisor"),
            JsonContent.Create(new { caseNumber, problem = "超过办理期限仍未答复信访人", requirement = "三日内书面说明原因" }))).StatusCode);
        var page = await (await browsers.NewContextAsync(Client.BaseAddress!.ToString())).NewPageAsync();
        await Pages.SignInAsync(page, "handler", lang);

        Assert.Equal("1", await page.GetByTestId("count-handling").TextContentAsync());
        Assert.Equal("1", await page.GetByTestId("orders-count").TextContentAsync());
        Assert.Contains("超过办理期限", await page.GetByTestId("orders-awaiting").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.GetByTestId("boards").CountAsync());
        await BrowserServer.ShotAsync(page, $"workbench-handler-{lang}");

        await page.GetByTestId("orders-count").ClickAsync();
        Assert.Equal(ordersTitle, await page.Locator("h1").TextContentAsync());
        Assert.Contains(issued, await page.GetByTestId("orders").TextContentAsync(), StringComparison.Ordinal);
        await page.GetByTestId("orders").GetByRole(AriaRole.Link, new() { Name = caseNumber }).ClickAsync();
        Assert.Equal(1, await page.Locator("#order-response").CountAsync());
        await BrowserServer.ShotAsync(page, $"orders-handler-{lang}");
    }
}
