using Microsoft.Playwright;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Browser;

public sealed class RegisterJourneyTests(DatabaseServers servers, BrowserServer browsers) : ApiTest(StorageProvider.Sqlite, servers)
{
    private async Task<IPage> DeskAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await Pages.SignInAsync(page, "reception");
        await page.GotoAsync("/reception/register");
        return page;
    }

    [Fact]
    public async Task The_desk_registers_a_group_petition_and_prints_the_receipt()
    {
        await using var context = await browsers.NewContextAsync(Client.BaseAddress!.ToString());
        var page = await DeskAsync(context);

        await page.GetByLabel("信访形式").SelectOptionAsync("visit");
        await page.GetByLabel("姓名", new() { Exact = true }).FillAsync(TestData.PetitionerName);
        await page.GetByLabel("身份证号码", new() { Exact = true }).FillAsync(TestData.IdNumber);
        await page.GetByLabel("联系电话", new() { Exact = true }).FillAsync(TestData.PetitionerPhone);
        for (var i = 0; i < 2; i++) await page.GetByRole(AriaRole.Button, new() { Name = "添加代表" }).ClickAsync();
        await page.Locator("#rep-0-name").FillAsync("李四");
        await page.Locator("#rep-0-id").FillAsync(TestData.IdNumberFor(new DateOnly(1980, 5, 6), 11));
        await page.Locator("#rep-1-name").FillAsync("王五");
        await page.Locator("#rep-1-id").FillAsync(TestData.IdNumberFor(new DateOnly(1975, 3, 4), 7));
        await page.GetByLabel("人数").FillAsync("12");
        await page.GetByLabel("事由").FillAsync("小区周边工地夜间施工噪音扰民");
        await page.GetByLabel("主要内容").FillAsync("十二户居民反映工地夜间施工，严重影响休息。");
        await page.GetByRole(AriaRole.Button, new() { Name = "检查并查重" }).ClickAsync();

        Assert.Contains("未发现既往信访", await page.Locator(".duplicates").TextContentAsync(), StringComparison.Ordinal);
        await BrowserServer.ShotAsync(page, "register-checked");
        await page.GetByRole(AriaRole.Button, new() { Name = "确认登记" }).ClickAsync();

        var caseNumber = await page.GetByTestId("case-number").TextContentAsync();
        var queryCode = await page.GetByTestId("query-code").TextContentAsync();
        Assert.Equal("XF-330799-2026-000001", caseNumber);
        Assert.Matches("^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$", queryCode);
        Assert.Equal(2, await Database.CountAsync("petition_people", "role = 'representative'"));
        await BrowserServer.ShotAsync(page, "register-done");

        var receipt = await context.RunAndWaitForPageAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "打印回执" }).ClickAsync());
        await receipt.WaitForLoadStateAsync();
        var receiptText = await receipt.Locator("body").TextContentAsync();
        Assert.True(receiptText!.Contains(queryCode!, StringComparison.Ordinal), receiptText);
        Assert.DoesNotContain(queryCode!, receipt.Url, StringComparison.Ordinal);
        await BrowserServer.ShotAsync(receipt, "register-receipt");
    }

    [Fact]
    public async Task Bad_input_is_marked_beside_each_field_and_nothing_is_saved()
    {
        await using var context = await browsers.NewContextAsync(Client.BaseAddress!.ToString(), locale: "en");
        var page = await DeskAsync(context);
        await page.GotoAsync("/reception/register?lang=en");

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(TestData.PetitionerName);
        await page.GetByLabel("ID number", new() { Exact = true }).FillAsync("110105194912310021"); // wrong check digit
        await page.GetByLabel("Phone", new() { Exact = true }).FillAsync("12345");
        for (var i = 0; i < 5; i++) await page.GetByRole(AriaRole.Button, new() { Name = "Add a representative" }).ClickAsync();
        Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = "Add a representative" }).IsDisabledAsync()); // at most five
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove representative" }).Nth(4).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Check" }).ClickAsync();

        Assert.Contains("wrong check digit", await page.Locator("[data-valmsg-for='Input.Petitioner.IdNumber']").TextContentAsync(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(await page.Locator("[data-valmsg-for='Input.Petitioner.Phone']").TextContentAsync()));
        Assert.False(string.IsNullOrWhiteSpace(await page.Locator("[data-valmsg-for='Input.Subject']").TextContentAsync()));
        Assert.False(string.IsNullOrWhiteSpace(await page.Locator("[data-valmsg-for='Input.Representatives[0].Name']").TextContentAsync()));
        Assert.Equal(4, await page.Locator(".representative").CountAsync()); // the rows came back as they were sent
        Assert.Equal(0, await Database.CountAsync("petitions"));
        await BrowserServer.ShotAsync(page, "register-invalid-en");
    }
}
