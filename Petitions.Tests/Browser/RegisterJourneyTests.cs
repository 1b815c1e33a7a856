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

    [Theory]
    [InlineData("zh-CN", "收到时间不能晚于现在", "2026年11月16日")]
    [InlineData("en", "cannot be in the future", "16 Nov 2026")]
    public async Task A_letter_opened_late_is_registered_on_its_day_and_the_receipt_leads_to_the_progress_page(string lang, string future, string receivedOn)
    {
        await using var context = await browsers.NewContextAsync(Client.BaseAddress!.ToString());
        var page = await DeskAsync(context, lang);
        await page.Locator("#channel").SelectOptionAsync("letter");
        await page.Locator("#petitioner-name").FillAsync(TestData.PetitionerName);
        await page.Locator("#petitioner-phone").FillAsync(TestData.PetitionerPhone);
        await page.Locator("#subject").FillAsync("来信反映邻居夜间施工");
        await page.Locator("#content").FillAsync("来信反映邻居夜间施工，噪音扰民。");

        await page.Locator("#received-on").FillAsync("9999-12-31");
        await page.Locator("button[formaction*='handler=Check']").ClickAsync();
        Assert.Contains(future, await page.Locator("[data-valmsg-for='Input.ReceivedAt']").TextContentAsync(), StringComparison.Ordinal);
        await BrowserServer.ShotAsync(page, $"register-received-future-{lang}");
        await page.Locator("#received-on").FillAsync("2026-11-16"); // opened four days after it came
        await page.Locator("button[formaction*='handler=Check']").ClickAsync();
        var (caseNumber, queryCode) = await Pages.ConfirmRegistrationAsync(page);
        Assert.Equal(1, await Database.CountAsync("petitions"));

        var receipt = await context.RunAndWaitForPageAsync(() => page.Locator("form[action*='/reception/receipt'] button").ClickAsync());
        await receipt.WaitForLoadStateAsync();
        var address = $"http://localhost:5080/progress?caseNumber={caseNumber}"; // Development's Public:BaseUrl
        Assert.Equal(address, await receipt.Locator(".qr").GetAttributeAsync("data-address"));
        Assert.True(await receipt.Locator(".qr svg").IsVisibleAsync());
        Assert.Contains(address, await receipt.Locator(".address").TextContentAsync(), StringComparison.Ordinal);
        var addresses = await receipt.Locator("[href], [src], [action], .address, .qr").EvaluateAllAsync<string[]>(
            "nodes => nodes.flatMap(n => [n.getAttribute('href'), n.getAttribute('src'), n.getAttribute('action'), n.getAttribute('data-address'), n.classList.contains('address') ? n.textContent : null]).filter(Boolean)");
        Assert.All(addresses.Append(receipt.Url), url => Assert.DoesNotContain(queryCode, url, StringComparison.OrdinalIgnoreCase));
        await BrowserServer.ShotAsync(receipt, $"register-receipt-qr-{lang}");

        await page.GetByTestId("case-link").ClickAsync();
        Assert.Equal($"/cases/{caseNumber}", new Uri(page.Url).AbsolutePath);
        Assert.Contains(receivedOn, await page.GetByTestId("facts").TextContentAsync(), StringComparison.Ordinal);
        await BrowserServer.ShotAsync(page, $"register-record-{lang}");

        var progress = await (await browsers.NewContextAsync(Client.BaseAddress!.ToString(), phone: true)).NewPageAsync();
        await progress.GotoAsync(new Uri(new Uri(Client.BaseAddress!, "/"), new Uri(address).PathAndQuery).ToString());
        Assert.Equal(caseNumber, await progress.Locator("#case-number").InputValueAsync()); // the QR code's address fills the case number in
    }
}
