using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Browser;

/// <summary>
/// The staff pages on the screens they are used on: on a wide desktop (1600 px) their content takes the screen's width,
/// not a narrow column; on a tablet, upright and lying, nothing is wider than the screen (a wide table scrolls in its own
/// box) and every link of the navigation is on the screen.
/// </summary>
public sealed class ScreenWidthJourneyTests(DatabaseServers servers, BrowserServer browsers) : ApiTest(StorageProvider.Sqlite, servers)
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task Staff_pages_use_a_desktops_width_and_fit_a_tablet(string lang)
    {
        var caseNumber = await NewCaseAsync();
        string[] office = ["/", "/cases", $"/cases/{caseNumber}", "/supervision", "/supervision/orders", "/reports", "/process"];
        string[] admin = ["/admin", "/admin/users", "/admin/organizations", "/admin/audit"];

        foreach (var screen in new[] { BrowserServer.Screen.WideDesktop, BrowserServer.Screen.TabletPortrait, BrowserServer.Screen.TabletLandscape })
        {
            foreach (var (user, paths) in new[] { ("office", office), ("admin", admin) })
            {
                var page = await (await browsers.NewContextAsync(Client.BaseAddress!.ToString(), screen)).NewPageAsync();
                await Pages.SignInAsync(page, user, lang);
                foreach (var path in paths)
                {
                    await page.GotoAsync(path);
                    var name = path == "/" ? "workbench" : path.Trim('/').Replace(caseNumber, "case", StringComparison.Ordinal).Replace('/', '-');
                    await BrowserServer.ShotAsync(page, $"screen-{screen}-{name}-{lang}");
                    var measured = await page.EvaluateAsync<JsonElement>("""
                        () => ({
                            viewport: window.innerWidth,
                            scrollWidth: document.documentElement.scrollWidth,
                            content: Math.max(...[...document.querySelector('main').children].map(e => e.getBoundingClientRect().width)),
                            navigationOff: [...document.querySelectorAll('header a, nav.site a, nav.site button')]
                                .filter(e => { const r = e.getBoundingClientRect(); return r.left < 0 || r.right > window.innerWidth; })
                                .map(e => e.textContent).join(', '),
                        })
                        """);
                    var measure = new Measure(measured.GetProperty("viewport").GetInt32(), measured.GetProperty("scrollWidth").GetInt32(),
                        measured.GetProperty("content").GetDouble(), measured.GetProperty("navigationOff").GetString()!);
                    Assert.True(measure.ScrollWidth <= measure.Viewport, $"{screen} {path}: the page is {measure.ScrollWidth} px wide on a screen of {measure.Viewport} px");
                    Assert.True(measure.NavigationOff.Length == 0, $"{screen} {path}: off the screen: {measure.NavigationOff}");
                    if (screen == BrowserServer.Screen.WideDesktop)
                        Assert.True(measure.Content >= 0.9 * measure.Viewport, $"{path}: the content is {measure.Content} px wide on a screen of {measure.Viewport} px");
                }
            }
        }
    }

    private sealed record Measure(int Viewport, int ScrollWidth, double Content, string NavigationOff);

    /// <summary>A petition in handling at a unit, with a supervision order awaiting its answer, beside one awaiting triage.</summary>
    private async Task<string> NewCaseAsync()
    {
        var reception = await TokenAsync("reception");
        var caseNumber = (await JsonAsync(await RegisterAsync(reception, PetitionBody()))).GetProperty("caseNumber").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/petitions/{caseNumber}/actions/accept", await TokenAsync("office"),
            JsonContent.Create(new { unit = "330799-01" }))).StatusCode);
        var other = PetitionBody();
        other["subject"] = "道路积水";
        await RegisterAsync(reception, other);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/api/supervision/orders", await TokenAsync("supervisor"),
            JsonContent.Create(new { caseNumber, problem = "超过办理期限仍未答复信访人", requirement = "三日内书面说明原因" }))).StatusCode);
        return caseNumber;
    }
}
