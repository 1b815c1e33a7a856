using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Browser;

public sealed class SignInJourneyTests(DatabaseServers servers, BrowserServer browsers) : ApiTest(StorageProvider.Sqlite, servers)
{
    [Fact]
    public async Task A_person_signs_in_at_the_form_and_out_again()
    {
        await using var context = await browsers.NewContextAsync(Client.BaseAddress!.ToString());
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        await page.Locator("#userName").FillAsync("office");
        await page.Locator("#password").FillAsync("wrong");
        await page.Locator("form.sign-in button[type='submit']").ClickAsync();
        Assert.Contains("用户名或密码错误", await page.GetByRole(Microsoft.Playwright.AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
        await BrowserServer.ShotAsync(page, "sign-in-failed");

        await page.Locator("#userName").FillAsync("office");
        await page.Locator("#password").FillAsync(TestData.Password);
        await page.Locator("form.sign-in button[type='submit']").ClickAsync();
        Assert.Contains("已登录：office", await page.Locator("body").TextContentAsync(), StringComparison.Ordinal);
        await page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "待受理审查" }).ClickAsync(); // the office's own queue
        Assert.EndsWith("/cases?queue=triage", page.Url, StringComparison.Ordinal);
        await BrowserServer.ShotAsync(page, "signed-in");

        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "退出" }).ClickAsync();
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_person_who_follows_a_wrong_address_is_told_so_in_words_and_led_back()
    {
        var page = await Pages.SignedInAsync(browsers, Client.BaseAddress!, "office");

        // A case number mistyped in a link: the page says so, in the site's frame, where a problem document was.
        var answer = await page.GotoAsync("/cases/XF-330799-2026-999999");
        Assert.Equal(404, answer!.Status);
        Assert.Equal("未找到", await page.GetByRole(Microsoft.Playwright.AriaRole.Heading, new() { Level = 1 }).TextContentAsync());
        await BrowserServer.ShotAsync(page, "not-found");
        await page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "English" }).ClickAsync();
        Assert.Equal("Not found", await page.GetByRole(Microsoft.Playwright.AriaRole.Heading, new() { Level = 1 }).TextContentAsync());

        await page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Back to the home page" }).ClickAsync();
        Assert.EndsWith("/", page.Url, StringComparison.Ordinal);
        Assert.Contains("Signed in", await page.Locator("body").TextContentAsync(), StringComparison.Ordinal);
    }
}
