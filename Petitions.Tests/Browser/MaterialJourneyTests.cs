using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using Petitions.Tests.Support;
using Petitions.Tests.Workflows.Materials;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Browser;

/// <summary>
/// The desk scans a letter of accusation and attaches it as it registers the petition; the office assigns it; the
/// handling unit sees the scan on the case page; the unit the letter accuses gets a 404 for the case and the file; and
/// the scan's bytes are nowhere in the database file.
/// </summary>
public sealed class MaterialJourneyTests(DatabaseServers servers, BrowserServer browsers) : ApiTest(StorageProvider.Sqlite, servers)
{
    [Fact]
    public async Task A_scanned_letter_attached_at_registration_is_seen_by_the_handler_and_never_by_the_accused_unit()
    {
        await using (var harness = await WorkflowHarness.StartAsync(Database, keys: Api.Keys))
            await MaterialWorkflowTests.AddUnitUserAsync(harness, "accused", "330799-02");
        var baseUrl = Client.BaseAddress!.ToString();

        // The "scan": the letter drawn by the browser itself, as a PNG.
        await using var scanner = await browsers.NewContextAsync(baseUrl);
        var sheet = await scanner.NewPageAsync();
        await sheet.SetContentAsync("""
            <body style="font: 22px serif; padding: 40px; width: 600px">
            <h1>举报信</h1><p>县公安局：我举报刑事侦查大队某民警在办案中索要财物，详情如下……</p><p>举报人：张三丰</p>
            </body>
            """);
        var scan = await sheet.ScreenshotAsync(new PageScreenshotOptions { Type = ScreenshotType.Png });

        await using var desk = await browsers.NewContextAsync(baseUrl);
        var page = await desk.NewPageAsync();
        await Pages.SignInAsync(page, "reception");
        await page.GotoAsync("/reception/register");
        await page.Locator("#channel").SelectOptionAsync("letter");
        await page.Locator("#category").SelectOptionAsync("accusation");
        await page.Locator("#petitioner-name").FillAsync(TestData.PetitionerName);
        await page.Locator("#petitioner-phone").FillAsync(TestData.PetitionerPhone);
        await page.Locator("#subject").FillAsync("举报民警索要财物");
        await page.Locator("#content").FillAsync("来信举报刑事侦查大队某民警在办案中索要财物。");
        await page.Locator("#involved-unit").FillAsync("刑事侦查大队");
        await page.Locator("button[formaction*='handler=Check']").ClickAsync();
        await page.Locator("#material-kind-0").SelectOptionAsync("letter");
        await page.Locator("#material-description-0").FillAsync("来信原件扫描件");
        await page.Locator("#material-files-0").SetInputFilesAsync(new FilePayload { Name = "举报信扫描件.png", MimeType = "image/png", Buffer = scan });
        await BrowserServer.ShotAsync(page, "material-register-attach");
        var (caseNumber, _) = await Pages.ConfirmRegistrationAsync(page);
        Assert.Equal("已附材料 1 件", await page.GetByTestId("materials-attached").TextContentAsync());

        await using var office = await browsers.NewContextAsync(baseUrl);
        var officePage = await office.NewPageAsync();
        await Pages.SignInAsync(officePage, "office");
        await Pages.ActAsync(officePage, caseNumber, "accept", new Dictionary<string, string> { ["unit"] = "城关派出所" });

        await using var unit = await browsers.NewContextAsync(baseUrl);
        var handler = await unit.NewPageAsync();
        await Pages.SignInAsync(handler, "handler");
        await handler.GotoAsync($"/cases/{caseNumber}");
        var material = handler.GetByTestId("material");
        Assert.Contains("举报信扫描件.png", await material.TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("来信原件扫描件", await material.TextContentAsync(), StringComparison.Ordinal);
        await handler.Locator("img.preview").ScrollIntoViewIfNeededAsync(); // a lazy image loads once scrolled to, below the case's forms
        await handler.WaitForFunctionAsync("() => { const i = document.querySelector('img.preview'); return i && i.complete && i.naturalWidth > 0; }");
        Assert.Equal(await sheet.EvaluateAsync<int>("() => window.innerWidth"), await handler.Locator("img.preview").EvaluateAsync<int>("i => i.naturalWidth"));
        Assert.Contains("添加材料", await handler.Locator("ol.timeline").TextContentAsync(), StringComparison.Ordinal);
        await BrowserServer.ShotAsync(handler, "material-case-page");
        var download = await handler.RunAndWaitForDownloadAsync(() => material.GetByRole(AriaRole.Link, new() { Name = "举报信扫描件.png" }).ClickAsync());
        Assert.Equal("举报信扫描件.png", download.SuggestedFilename);
        Assert.Equal(scan, await File.ReadAllBytesAsync(await download.PathAsync(), Ct));

        await using var accusedContext = await browsers.NewContextAsync(baseUrl);
        var accused = await accusedContext.NewPageAsync();
        await Pages.SignInAsync(accused, "accused");
        var id = Assert.Single(await Database.QueryAsync<long>("SELECT id FROM materials"));
        foreach (var path in new[] { $"/cases/{caseNumber}", $"/cases/{caseNumber}/materials", $"/cases/{caseNumber}/materials/{id}", $"/cases/{caseNumber}/materials/{id}?handler=Preview" })
            Assert.Equal(404, (await accused.GotoAsync(path))!.Status);

        var file = new SqliteConnectionStringBuilder(Database.ConnectionString).DataSource;
        var stored = new[] { file, file + "-wal" }.Where(File.Exists).SelectMany(File.ReadAllBytes).ToArray();
        Assert.True(stored.AsSpan().IndexOf(scan.AsSpan(scan.Length / 2, 64)) < 0, "the scan's bytes are readable in the database file");
        // Every look is audited (the office saw the preview as it accepted); the page's image is fetched again whenever
        // the browser needs it (no-store), so the rows are counted by who and what, not one by one.
        Assert.Equal(
            [("handler", "download-material"), ("handler", "preview-material"), ("office", "preview-material")],
            await Database.QueryAsync<(string, string)>(
                "SELECT DISTINCT u.user_name, a.action FROM audit_log a JOIN users u ON u.id = a.user_id WHERE a.action LIKE '%-material' ORDER BY u.user_name, a.action"));
    }
}
