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

        await Pages.FillGroupPetitionAsync(page);

        Assert.Contains("未发现既往信访", await page.Locator(".duplicates").TextContentAsync(), StringComparison.Ordinal);
        await BrowserServer.ShotAsync(page, "register-checked");
        var (caseNumber, queryCode) = await Pages.ConfirmRegistrationAsync(page);
        Assert.Equal("XF-330799-2026-000001", caseNumber);
        Assert.Matches("^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$", queryCode);
        Assert.Equal(2, await Database.CountAsync("petition_people", "role = 'representative'"));
        await BrowserServer.ShotAsync(page, "register-done");

        var receipt = await context.RunAndWaitForPageAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "打印回执" }).ClickAsync());
        await receipt.WaitForLoadStateAsync();
        var receiptText = await receipt.Locator("body").TextContentAsync();
        Assert.True(receiptText!.Contains(queryCode, StringComparison.Ordinal), receiptText);
        Assert.DoesNotContain(queryCode, receipt.Url, StringComparison.Ordinal);
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
