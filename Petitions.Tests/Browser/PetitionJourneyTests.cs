using Microsoft.Playwright;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Browser;

/// <summary>The whole way through the pages, in each language: desk, office, handling unit, leader, service and return
/// visit, and the petitioner following every step on a phone.</summary>
public sealed class PetitionJourneyTests(DatabaseServers servers, BrowserServer browsers) : ApiTest(StorageProvider.Sqlite, servers)
{
    private async Task<IPage> AsAsync(string user, string lang)
    {
        var context = await browsers.NewContextAsync(Client.BaseAddress!.ToString());
        var page = await context.NewPageAsync();
        await Pages.SignInAsync(page, user, lang);
        return page;
    }

    private static async Task<string?> StageAsync(IPage page) => await page.GetByTestId("stage").GetAttributeAsync("data-stage");

    public static TheoryData<string, string, string[]> Languages() => new()
    {
        { "zh-CN", "已办结", ["信访事项登记", "依法受理并交办", "出具处理意见", "文书送达", "回访", "受理告知书", "信访处理意见书", "送达回证"] },
        { "en", "Concluded", ["Petition registered", "Accepted and assigned", "Written opinion issued", "Written reply delivered", "Follow-up visit",
                              "Notice of acceptance", "Written opinion", "Proof of service"] },
    };

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task A_group_petition_goes_from_the_desk_to_the_return_visit_and_the_petitioner_sees_every_step(string lang, string closed, string[] steps)
    {
        var desk = await AsAsync("reception", lang);
        await Pages.FillGroupPetitionAsync(desk);
        var (caseNumber, queryCode) = await Pages.ConfirmRegistrationAsync(desk);

        var office = await AsAsync("office", lang);
        await office.GotoAsync("/cases?queue=triage");
        await office.GetByRole(AriaRole.Link, new() { Name = caseNumber }).ClickAsync();
        await Pages.ActAsync(office, caseNumber, "accept", new Dictionary<string, string>());
        Assert.False(string.IsNullOrWhiteSpace(await office.Locator("[data-error-for='accept-unit']").TextContentAsync())); // beside the field
        await BrowserServer.ShotAsync(office, $"journey-accept-invalid-{lang}");
        await Pages.ActAsync(office, caseNumber, "accept", new Dictionary<string, string> { ["unit"] = "城关派出所", ["comment"] = "请依法办理" });
        Assert.Equal("in-handling", await StageAsync(office));

        var handler = await AsAsync("handler", lang);
        await handler.GotoAsync("/cases?queue=handling");
        Assert.Equal(1, await handler.GetByRole(AriaRole.Link, new() { Name = caseNumber }).CountAsync());
        await Pages.ActAsync(handler, caseNumber, "submit-opinion",
            new Dictionary<string, string> { ["outcome"] = "support", ["text"] = "经调查属实，已责令施工方夜间停工。" });
        Assert.Equal("opinion-review", await StageAsync(handler));

        var leader = await AsAsync("leader", lang);
        await leader.GotoAsync("/cases?queue=opinions");
        Assert.Equal(1, await leader.GetByRole(AriaRole.Link, new() { Name = caseNumber }).CountAsync());
        await Pages.ActAsync(leader, caseNumber, "approve-opinion", new Dictionary<string, string> { ["comment"] = "同意" });
        Assert.Equal("awaiting-service", await StageAsync(leader));

        await office.GotoAsync("/cases?queue=service");
        Assert.Equal(1, await office.GetByRole(AriaRole.Link, new() { Name = caseNumber }).CountAsync());
        await Pages.ActAsync(office, caseNumber, "record-service", new Dictionary<string, string> { ["servedOn"] = "2026-11-20", ["method"] = "in-person" });
        await Pages.ActAsync(office, caseNumber, "record-return-visit", new Dictionary<string, string> { ["satisfaction"] = "satisfied" });
        Assert.Equal("closed", await StageAsync(office));
        Assert.Equal(closed, await office.GetByTestId("stage").TextContentAsync());
        await BrowserServer.ShotAsync(office, $"journey-closed-{lang}");

        var phone = await (await browsers.NewContextAsync(Client.BaseAddress!.ToString(), phone: true)).NewPageAsync();
        await phone.GotoAsync($"/progress?lang={lang}");
        await phone.Locator("#case-number").FillAsync(caseNumber);
        await phone.Locator("#query-code").FillAsync(queryCode);
        await phone.Locator("main form button[type='submit']").ClickAsync();
        var seen = await phone.Locator("main").TextContentAsync();
        foreach (var step in steps.Prepend(closed))
            Assert.Contains(step, seen, StringComparison.Ordinal);
        await BrowserServer.ShotAsync(phone, $"journey-petitioner-{lang}");
    }
}
