using Microsoft.Playwright;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Browser;

/// <summary>A county's administrator, from the site's navigation, adds a handling unit and a handler to it (choosing
/// the unit from the tree and the role from those that fit), disables and re-enables a user, gives the supervisor the
/// leader's role too, and gives a user a new password, with which that user then signs in; in Chinese and in English.</summary>
public sealed class AdministrationJourneyTests(DatabaseServers servers, BrowserServer browsers) : ApiTest(StorageProvider.Sqlite, servers)
{
    [Theory]
    [InlineData("zh-CN", "系统管理", "添加用户", "承办人", "已停用", "正常", "重置密码", "修改角色", "领导")]
    [InlineData("en", "Administration", "Add a user", "Handler", "Disabled", "Active", "Reset the password", "Change the roles", "Leader")]
    public async Task An_administrator_adds_a_unit_and_its_handler_disables_and_enables_a_user_changes_roles_and_resets_a_password(
        string lang, string administration, string addUser, string handlerRole, string disabled, string active, string resetPassword,
        string changeRoles, string leaderRole)
    {
        var page = await (await browsers.NewContextAsync(Client.BaseAddress!.ToString())).NewPageAsync();
        await Pages.SignInAsync(page, "admin", lang);
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = administration }).ClickAsync();
        Assert.Contains("示范县公安局", await page.GetByTestId("administered-tree").TextContentAsync(), StringComparison.Ordinal);
        await BrowserServer.ShotAsync(page, $"admin-home-{lang}");

        // A handling unit under the county, its parent chosen from the tree.
        await page.GotoAsync("/admin/organizations");
        await page.Locator("#parent").SelectOptionAsync("330799");
        await page.Locator("#kind").SelectOptionAsync("unit");
        await page.Locator("#code").FillAsync("330799-04");
        await page.Locator("#name").FillAsync("交通管理大队");
        await page.Locator("section form button[type='submit']").ClickAsync();
        var unit = page.GetByTestId("organization-tree").Locator("tr[data-code='330799-04']");
        Assert.Equal(1, await unit.CountAsync());
        await BrowserServer.ShotAsync(page, $"admin-organizations-{lang}");

        // Its handler: the unit's users are handlers, the only role offered.
        await unit.GetByRole(AriaRole.Link, new() { Name = addUser }).ClickAsync();
        var roles = page.Locator("#roles input[type='checkbox']");
        Assert.Equal(["handler"], await roles.EvaluateAllAsync<string[]>("boxes => boxes.map(b => b.value)"));
        Assert.True(await roles.First.IsCheckedAsync());
        await page.Locator("#user-name").FillAsync("traffic");
        await page.Locator("#display-name").FillAsync("交警大队承办人");
        await page.Locator("#password").FillAsync("short");
        await page.Locator("section form button[type='submit']").ClickAsync();
        Assert.False(string.IsNullOrWhiteSpace(await page.Locator("[data-valmsg-for='Input.Password']").TextContentAsync())); // beside the field
        await BrowserServer.ShotAsync(page, $"admin-new-user-refused-{lang}");
        await page.Locator("#password").FillAsync("Traffic-first-1");
        await page.Locator("section form button[type='submit']").ClickAsync();
        var row = page.GetByTestId("users").Locator("tr[data-user='traffic']");
        Assert.Contains(handlerRole, await row.TextContentAsync(), StringComparison.Ordinal);
        await BrowserServer.ShotAsync(page, $"admin-users-{lang}");

        // Disabled: the user cannot sign in; enabled again.
        await row.Locator("form button").ClickAsync();
        Assert.Contains(disabled, await row.GetByTestId("state").TextContentAsync(), StringComparison.Ordinal);
        var other = await (await browsers.NewContextAsync(Client.BaseAddress!.ToString())).NewPageAsync();
        await Pages.SignInAsync(other, "traffic", lang);
        Assert.Contains("/login", other.Url, StringComparison.Ordinal);
        await row.Locator("form button").ClickAsync();
        Assert.Contains(active, await row.GetByTestId("state").TextContentAsync(), StringComparison.Ordinal);

        // The supervisor takes on the leader's role too: a bureau's roles are offered, the handler's is not.
        var supervisor = page.GetByTestId("users").Locator("tr[data-user='supervisor']");
        await supervisor.GetByRole(AriaRole.Link, new() { Name = changeRoles }).ClickAsync();
        var offered = await page.Locator("#roles input[type='checkbox']").EvaluateAllAsync<string[]>("boxes => boxes.map(b => b.value)");
        Assert.DoesNotContain("handler", offered);
        Assert.True(await page.Locator("#roles input[value='supervisor']").IsCheckedAsync());
        await page.Locator("#roles input[value='leader']").CheckAsync();
        await BrowserServer.ShotAsync(page, $"admin-roles-{lang}");
        await page.Locator("main form button[type='submit']").ClickAsync();
        Assert.EndsWith("/admin/users", page.Url, StringComparison.Ordinal);
        Assert.Contains(leaderRole, await supervisor.TextContentAsync(), StringComparison.Ordinal);

        // A new password, typed twice; the user signs in with it.
        await row.GetByRole(AriaRole.Link, new() { Name = resetPassword }).ClickAsync();
        Assert.Contains("traffic", await page.GetByTestId("target").TextContentAsync(), StringComparison.Ordinal);
        await page.Locator("#new-password").FillAsync("Handed-over-2026");
        await page.Locator("#confirmation").FillAsync("Handed-over-2027");
        await page.Locator("main form button[type='submit']").ClickAsync();
        Assert.False(string.IsNullOrWhiteSpace(await page.Locator("[data-valmsg-for='Input.Confirmation']").TextContentAsync()));
        await BrowserServer.ShotAsync(page, $"admin-reset-password-refused-{lang}");
        await page.Locator("#new-password").FillAsync("Handed-over-2026");
        await page.Locator("#confirmation").FillAsync("Handed-over-2026");
        await page.Locator("main form button[type='submit']").ClickAsync();
        Assert.EndsWith("/admin/users", page.Url, StringComparison.Ordinal);
        Assert.Contains("traffic", await page.GetByRole(AriaRole.Status).TextContentAsync(), StringComparison.Ordinal);
        await BrowserServer.ShotAsync(page, $"admin-password-reset-{lang}");

        await other.GotoAsync("/login");
        await other.Locator("#userName").FillAsync("traffic");
        await other.Locator("#password").FillAsync("Handed-over-2026");
        await other.Locator("form.sign-in button[type='submit']").ClickAsync();
        Assert.Equal("traffic", await other.Locator("nav.site span").TextContentAsync());
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task An_administrator_reads_the_holidays_policies_contact_cards_and_audit_log(string lang)
    {
        var page = await (await browsers.NewContextAsync(Client.BaseAddress!.ToString())).NewPageAsync();
        await Pages.SignInAsync(page, "admin", lang);
        foreach (var (path, shot) in new[]
                 {
                     ("/admin/holidays?year=2026", "holidays"), ("/admin/policies", "policies"), ("/admin/contact-cards", "contact-cards"),
                     ("/admin/audit?user=admin", "audit"),
                 })
        {
            await page.GotoAsync(path);
            Assert.True(await page.Locator("table.cases").CountAsync() > 0, path);
            await BrowserServer.ShotAsync(page, $"admin-{shot}-{lang}");
        }
        await page.GotoAsync("/admin/policies?organization=330799");
        await page.Locator("tr[data-clock='handling'] input[name$='.Days']").FillAsync("45");
        await page.Locator("main form[method='post'] button[type='submit']").ClickAsync();
        Assert.Equal(1, await page.Locator("[data-testid='policy'][data-organization='330799'][data-version='1']").CountAsync());
    }
}
