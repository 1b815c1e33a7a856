using Microsoft.Playwright;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Browser;

public sealed class RegisterJourneyTests(DatabaseServers servers, BrowserServer browsers) : ApiTest(StorageProvider.Sqlite, servers)
{
    private async Task<IPage> DeskAsync(IBrowserContext context, string lang)
    {
        var page = await context.NewPageAsync();
        await Pages.SignInAsync(page, "reception", lang);
        await page.GotoAsync("/reception/register");
        return page;
    }

    [Theory]
    [InlineData("zh-CN", "未发现既往信访", "打印回执")]
    [InlineData("en", "None found", "Print the receipt")]
    public async Task The_desk_registers_a_group_petition_and_prints_the_receipt(string lang, string noDuplicates, string print)
    {
        await using var context = await browsers.NewContextAsync(Client.BaseAddress!.ToString());
        var page = await DeskAsync(context, lang);

        await Pages.FillGroupPetitionAsync(page);

        Assert.Contains(noDuplicates, await page.Locator(".duplicates").TextContentAsync(), StringComparison.Ordinal);
        await BrowserServer.ShotAsync(page, $"register-checked-{lang}");
        var (caseNumber, queryCode) = await Pages.ConfirmRegistrationAsync(page);
        Assert.Equal("XF-330799-2026-000001", caseNumber);
        Assert.Matches("^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$", queryCode);
        Assert.Equal(2, await Database.CountAsync("petition_people", "role = 'representative'"));
        await BrowserServer.ShotAsync(page, $"register-done-{lang}");

        var receipt = await context.RunAndWaitForPageAsync(() => page.GetByRole(AriaRole.Button, new() { Name = print }).ClickAsync());
        await receipt.WaitForLoadStateAsync();
        var receiptText = await receipt.Locator("body").TextContentAsync();
        Assert.True(receiptText!.Contains(queryCode, StringComparison.Ordinal), receiptText);
        Assert.DoesNotContain(queryCode, receipt.Url, StringComparison.Ordinal);
        await BrowserServer.ShotAsync(receipt, $"register-receipt-{lang}");
    }

    [Theory]
    [InlineData("zh-CN", "校验位不正确")]
    [InlineData("en", "wrong check digit")]
    public async Task Bad_input_is_marked_beside_each_field_and_nothing_is_saved(string lang, string checkDigit)
    {
        await using var context = await browsers.NewContextAsync(Client.BaseAddress!.ToString(), locale: lang);
        var page = await DeskAsync(context, lang);

        await page.Locator("#petitioner-name").FillAsync(TestData.PetitionerName);
        await page.Locator("#petitioner-id").FillAsync("110105194912310021"); // wrong check digit
        await page.Locator("#petitioner-phone").FillAsync("12345");
        for (var i = 0; i < 5; i++) await page.Locator("#add-representative").ClickAsync();
        Assert.True(await page.Locator("#add-representative").IsDisabledAsync()); // at most five
        await page.Locator("button.remove").Nth(4).ClickAsync();
        await page.Locator("button[formaction*='handler=Check']").ClickAsync();

        Assert.Contains(checkDigit, await page.Locator("[data-valmsg-for='Input.Petitioner.IdNumber']").TextContentAsync(), StringComparison.Ordinal);
        foreach (var field in new[] { "Input.Petitioner.Phone", "Input.Subject", "Input.Representatives[0].Name" })
        {
            var message = await page.Locator($"[data-valmsg-for='{field}']").TextContentAsync();
            Assert.False(string.IsNullOrWhiteSpace(message), field);
            if (lang == "zh-CN") Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", message);
        }
        Assert.Equal(4, await page.Locator(".representative").CountAsync()); // the rows came back as they were sent
        Assert.Equal(0, await Database.CountAsync("petitions"));
        await BrowserServer.ShotAsync(page, $"register-invalid-{lang}");
    }
}
