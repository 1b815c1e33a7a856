using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Tests.Browser;

/// <summary>
/// The case at a glance, in each language: the office reads an accusation's facts beside its timeline, sees every
/// action it may take as a button with its form, chooses the handling unit by name (the accused unit is not among the
/// choices; a name that matches nothing is refused beside the field); the unit chooses its officer by name; the handling
/// goes on, and the timeline says every step in words, each with who took it. On a phone the page is one column.
/// </summary>
public sealed class CaseJourneyTests(DatabaseServers servers, BrowserServer browsers) : ApiTest(StorageProvider.Sqlite, servers)
{
    public static TheoryData<string, string, string, string[]> Languages() => new()
    {
        { "zh-CN", "已受理，正在办理", "可选的单位中没有", ["延长30天：案情复杂", "电子送达", "不满意：仍有意见", "予以支持"] },
        { "en", "Accepted and being handled", "is none of the choices", ["30 more days: 案情复杂", "Electronically", "Dissatisfied: 仍有意见", "Support"] },
    };

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task The_office_reads_the_case_at_a_glance_and_assigns_it_by_choosing_a_unit_by_name(string lang, string accepted, string noSuchUnit, string[] words)
    {
        var body = PetitionBody();
        body["category"] = "accusation";
        body["involvedUnit"] = "治安管理大队";
        body["involvedUnitCode"] = "330799-03";
        var caseNumber = (await JsonAsync(await RegisterAsync(await TokenAsync("reception"), body))).GetProperty("caseNumber").GetString()!;

        var office = await AsAsync("office", lang);
        await office.GotoAsync($"/cases/{caseNumber}");
        var facts = (await office.GetByTestId("facts").BoundingBoxAsync())!;
        var timeline = (await office.GetByTestId("timeline").BoundingBoxAsync())!;
        Assert.True(timeline.X >= facts.X + facts.Width, "on a desktop the timeline stands beside the facts");
        Assert.True(await office.Locator("[data-testid='action-bar'] a[href='#act-accept']").IsVisibleAsync());
        Assert.True(await office.Locator("#act-accept button[type='submit']").IsVisibleAsync()); // no accordion to open
        var units = await office.Locator("#accept-unit-options option").EvaluateAllAsync<string[]>("options => options.map(o => o.value)");
        Assert.Equal(["城关派出所", "刑事侦查大队"], units); // never the accused unit
        await BrowserServer.ShotAsync(office, $"case-glance-{lang}");

        await office.Locator("#accept-unit").FillAsync("第九大队");
        await office.Locator("#act-accept button[type='submit']").ClickAsync();
        Assert.Contains(noSuchUnit, await office.Locator("[data-error-for='accept-unit']").TextContentAsync(), StringComparison.Ordinal);
        await BrowserServer.ShotAsync(office, $"case-unit-unknown-{lang}");
        await office.Locator("#accept-unit").FillAsync("城关派出所");
        await office.Locator("#act-accept button[type='submit']").ClickAsync();
        Assert.Equal(accepted, await office.GetByTestId("stage").TextContentAsync());
        Assert.Equal("城关派出所", await office.GetByTestId("assigned-unit").TextContentAsync());

        // The unit assigns its officer (承办人), chosen by name among its handlers.
        var handler = await AsAsync("handler", lang);
        await handler.GotoAsync($"/cases/{caseNumber}");
        Assert.Equal(["演示用户 handler"], await handler.Locator("#assign-officer-officer-options option").EvaluateAllAsync<string[]>("options => options.map(o => o.value)"));
        await handler.Locator("#assign-officer-officer").FillAsync("演示用户 handler");
        await handler.Locator("#act-assign-officer button[type='submit']").ClickAsync();
        Assert.Equal("演示用户 handler", await handler.GetByTestId("officer").TextContentAsync());
        await BrowserServer.ShotAsync(handler, $"case-officer-{lang}");

        await ActAsync("handler", caseNumber, "request-extension", new { days = 30, reason = "案情复杂" });
        await ActAsync("leader", caseNumber, "approve-extension", new { reason = "案情复杂" });
        await ActAsync("handler", caseNumber, "submit-opinion", new { outcome = "support", text = "经调查属实。" });
        await ActAsync("leader", caseNumber, "approve-opinion", new { });
        await ActAsync("office", caseNumber, "record-service", new { servedOn = "2026-11-20", method = "electronic" });
        await ActAsync("office", caseNumber, "record-return-visit", new { satisfaction = "dissatisfied", note = "仍有意见" });

        await office.GotoAsync($"/cases/{caseNumber}");
        var steps = await office.GetByTestId("timeline").TextContentAsync();
        foreach (var word in words) Assert.Contains(word, steps, StringComparison.Ordinal);
        Assert.DoesNotContain("· ·", steps, StringComparison.Ordinal);
        if (lang == "zh-CN")
        {
            var text = steps + await office.GetByTestId("notices").TextContentAsync() + await office.GetByTestId("facts").TextContentAsync();
            Assert.True(RawCodes.In(text, Api.Services.GetRequiredService<WorkflowCatalog>()) is null, $"a raw code on a Chinese page: {text}");
        }
        await BrowserServer.ShotAsync(office, $"case-timeline-{lang}");

        var phone = await AsAsync("office", lang, phone: true);
        await phone.GotoAsync($"/cases/{caseNumber}");
        var phoneFacts = (await phone.GetByTestId("facts").BoundingBoxAsync())!;
        Assert.True((await phone.GetByTestId("timeline").BoundingBoxAsync())!.Y > phoneFacts.Y + phoneFacts.Height, "on a phone the timeline comes after the facts");
        await BrowserServer.ShotAsync(phone, $"case-phone-{lang}");
    }

    private Task<IPage> AsAsync(string user, string lang, bool phone = false) => Pages.SignedInAsync(browsers, Client.BaseAddress!, user, lang, phone);

    private async Task ActAsync(string user, string caseNumber, string action, object body)
    {
        var response = await SendAsync(HttpMethod.Post, $"/api/petitions/{caseNumber}/actions/{action}", await TokenAsync(user), JsonContent.Create(body));
        Assert.True(response.IsSuccessStatusCode, $"{action}: {await response.Content.ReadAsStringAsync(Ct)}");
    }
}
