using System.Text.Json;
using Microsoft.Playwright;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Browser;

public sealed class ApiReferenceJourneyTests(DatabaseServers servers, BrowserServer browsers) : ApiTest(StorageProvider.Sqlite, servers)
{
    [Fact]
    public async Task A_developer_reads_the_API_reference_served_offline_by_the_service()
    {
        var document = JsonDocument.Parse(await Client.GetStringAsync("/openapi/v1.json", Ct)).RootElement;
        await using var context = await browsers.NewContextAsync(Client.BaseAddress!.ToString(), locale: "en");
        var requested = new List<string>();
        context.Request += (_, request) => requested.Add(request.Url);
        var page = await context.NewPageAsync();
        var complaints = new List<string>(); // what the browser refused (the content policy) or failed to run
        page.Console += (_, message) => { if (message.Type == "error") complaints.Add(message.Text); };
        page.PageError += (_, error) => complaints.Add(error);

        await page.GotoAsync("/api/reference"); // anonymous, like the document
        await page.GetByText("Petitions API").First.WaitForAsync();
        foreach (var tag in document.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()!))
            await page.GetByText(tag, new() { Exact = true }).First.WaitForAsync();
        await page.GetByText("Accept and assign a handling unit (受理)").First.WaitForAsync();
        await page.GetByText("Exchanges a user name and password for a bearer token").First.WaitForAsync();
        Assert.Equal(0, await page.GetByText("Generate SDK").CountAsync()); // no toolbar of Scalar's hosted services
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserServer.Screenshots, "api-reference.png") }); // the first screen: the whole page is metres long

        Assert.Empty(complaints);
        Assert.Contains(requested, url => url.EndsWith("/openapi/v1.json", StringComparison.Ordinal));
        Assert.All(requested, url => Assert.True(
            new Uri(url) is { Scheme: "data" or "blob" } or { Host: "127.0.0.1" }, $"The reference page reached outside the service: {url}"));
    }
}
