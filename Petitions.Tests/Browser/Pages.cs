using Microsoft.Playwright;
using Petitions.Tests.Support;

namespace Petitions.Tests.Browser;

/// <summary>Steps every browser journey takes.</summary>
internal static class Pages
{
    /// <summary>Signs in and picks the pages' language (a cookie remembers it).</summary>
    public static async Task SignInAsync(IPage page, string user, string lang = "zh-CN")
    {
        await page.GotoAsync("/login");
        await page.Locator("#userName").FillAsync(user);
        await page.Locator("#password").FillAsync(TestData.Password);
        await page.Locator("form.sign-in button[type='submit']").ClickAsync();
        await page.GotoAsync($"/?lang={lang}");
    }

    /// <summary>A new person at a new computer (a fresh browser context), signed in.</summary>
    public static async Task<IPage> SignedInAsync(BrowserServer browsers, Uri service, string user, string lang = "zh-CN", bool phone = false)
    {
        var page = await (await browsers.NewContextAsync(service.ToString(), phone: phone)).NewPageAsync();
        await SignInAsync(page, user, lang);
        return page;
    }

    /// <summary>The reception desk fills in a group petition with two representatives and checks it for duplicates
    /// (by the fields' ids, so in either language); <paramref name="receivedOn"/> for an entry made after the day it came.</summary>
    public static async Task FillGroupPetitionAsync(IPage page, DateOnly? receivedOn = null)
    {
        await page.GotoAsync("/reception/register");
        await page.Locator("#channel").SelectOptionAsync("visit");
        if (receivedOn is { } day) await page.Locator("#received-on").FillAsync(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator("#petitioner-name").FillAsync(TestData.PetitionerName);
        await page.Locator("#petitioner-id").FillAsync(TestData.IdNumber);
        await page.Locator("#petitioner-phone").FillAsync(TestData.PetitionerPhone);
        for (var i = 0; i < 2; i++) await page.Locator("#add-representative").ClickAsync();
        await page.Locator("#rep-0-name").FillAsync("李四");
        await page.Locator("#rep-0-id").FillAsync(TestData.IdNumberFor(new DateOnly(1980, 5, 6), 11));
        await page.Locator("#rep-1-name").FillAsync("王五");
        await page.Locator("#rep-1-id").FillAsync(TestData.IdNumberFor(new DateOnly(1975, 3, 4), 7));
        await page.Locator("#people-count").FillAsync("12");
        await page.Locator("#subject").FillAsync("小区周边工地夜间施工噪音扰民");
        await page.Locator("#content").FillAsync("十二户居民反映工地夜间施工，严重影响休息。");
        await page.Locator("button[formaction*='handler=Check']").ClickAsync();
    }

    /// <summary>Confirms a checked registration; returns the case number and query code the page shows.</summary>
    public static async Task<(string CaseNumber, string QueryCode)> ConfirmRegistrationAsync(IPage page)
    {
        await page.Locator("button[formaction*='handler=Register']").ClickAsync();
        return ((await page.GetByTestId("case-number").TextContentAsync())!, (await page.GetByTestId("query-code").TextContentAsync())!);
    }

    /// <summary>Fills an action's form on the case page (every form is in view) and sends it. A field that chooses an
    /// organization takes its name, typed as a person would.</summary>
    public static async Task ActAsync(IPage page, string caseNumber, string action, IReadOnlyDictionary<string, string> fields)
    {
        await page.GotoAsync($"/cases/{caseNumber}");
        var form = page.Locator($"article[data-action='{action}'] form");
        foreach (var (name, value) in fields)
        {
            var field = form.Locator($"[name='{name}']");
            if (await field.EvaluateAsync<string>("e => e.tagName") == "SELECT") await field.SelectOptionAsync(value);
            else await field.FillAsync(value);
        }
        await form.Locator("button[type='submit']").ClickAsync();
    }
}
