using System.Net.Http.Json;
using Microsoft.Playwright;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Browser;

/// <summary>The process drawn at a desktop's width, in both languages; from a case page, where the petition stands
/// and what the handler may do on it now.</summary>
public sealed class ProcessJourneyTests(DatabaseServers servers, BrowserServer browsers) : ApiTest(StorageProvider.Sqlite, servers)
{
    [Theory]
    [InlineData("zh-CN", "办理流程", "办理中")]
    [InlineData("en", "The process", "In handling")]
    public async Task The_process_is_drawn_and_a_petition_is_shown_where_it_stands(string lang, string title, string inHandling)
    {
        var caseNumber = (await JsonAsync(await RegisterAsync(await TokenAsync("reception"), PetitionBody()))).GetProperty("caseNumber").GetString()!;
        (await SendAsync(HttpMethod.Post, $"/api/petitions/{caseNumber}/actions/accept", await TokenAsync("office"), JsonContent.Create(new { unit = "330799-01" })))
            .EnsureSuccessStatusCode();
        var page = await (await browsers.NewContextAsync(Client.BaseAddress!.ToString())).NewPageAsync();
        await Pages.SignInAsync(page, "handler", lang);

        await page.GotoAsync("/process");
        Assert.Equal(title, await page.Locator("h1").TextContentAsync());
        var svg = page.Locator("figure.process svg");
        var box = (await svg.BoundingBoxAsync())!;
        var drawnWidth = await svg.EvaluateAsync<double>("s => s.viewBox.baseVal.width");
        Assert.True(box.X >= 0 && box.X + box.Width <= 1280, $"the drawing runs from {box.X} to {box.X + box.Width}");
        Assert.True(box.Width >= drawnWidth * 0.95, $"drawn {drawnWidth} wide, shown {box.Width}: shrunk"); // readable as drawn
        Assert.Equal(0, await page.Locator("figure.process .stage.current").CountAsync());
        await BrowserServer.ShotAsync(page, $"process-{lang}");

        await page.GotoAsync($"/cases/{caseNumber}");
        await page.GetByTestId("process-link").ClickAsync();
        var current = page.Locator("figure.process .stage.current");
        Assert.Equal("in-handling", await current.GetAttributeAsync("data-stage"));
        Assert.Contains(inHandling, await current.TextContentAsync(), StringComparison.Ordinal);
        var available = await page.Locator("figure.process .transition.available").EvaluateAllAsync<string[]>("gs => gs.map(g => g.dataset.action).sort()");
        Assert.Equal(["assign-officer", "record-progress", "request-extension", "return-to-office", "submit-opinion"], available);
        Assert.Contains(caseNumber, await page.GetByTestId("process-case").TextContentAsync(), StringComparison.Ordinal);
        await BrowserServer.ShotAsync(page, $"process-case-{lang}");
    }
}
