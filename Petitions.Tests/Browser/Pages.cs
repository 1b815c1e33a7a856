using Microsoft.Playwright;
using Petitions.Tests.Support;

namespace Petitions.Tests.Browser;

/// <summary>Steps every browser journey takes.</summary>
internal static class Pages
{
    public static async Task SignInAsync(IPage page, string user)
    {
        await page.GotoAsync("/login");
        await page.GetByLabel("用户名 User name").FillAsync(user);
        await page.GetByLabel("密码 Password").FillAsync(TestData.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录 Sign in" }).ClickAsync();
    }
}
