using Microsoft.Playwright;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Browser;

/// <summary>The whole way through the pages: desk, office, handling unit, leader, service and return visit, and the
/// petitioner following every step on a phone.</summary>
public sealed class PetitionJourneyTests(DatabaseServers servers, BrowserServer browsers) : ApiTest(StorageProvider.Sqlite, servers)
{
    private async Task<IPage> AsAsync(string user)
    {
        var context = await browsers.NewContextAsync(Client.BaseAddress!.ToString());
        var page = await context.NewPageAsync();
        await Pages.SignInAsync(page, user);
        return page;
    }

    private static async Task<string?> StageAsync(IPage page) => await page.GetByTestId("stage").TextContentAsync();

    [Fact]
    public async Task A_group_petition_goes_from_the_desk_to_the_return_visit_and_the_petitioner_sees_every_step()
    {
        var desk = await AsAsync("reception");
        await Pages.FillGroupPetitionAsync(desk);
        var (caseNumber, queryCode) = await Pages.ConfirmRegistrationAsync(desk);

        var office = await AsAsync("office");
        await office.GotoAsync("/cases");
        await office.GetByRole(AriaRole.Link, new() { Name = caseNumber }).ClickAsync();
        await Pages.ActAsync(office, caseNumber, "accept", "受理并交办", new Dictionary<string, string>());
        Assert.Contains("承办单位代码", await office.Locator("details[open]").TextContentAsync(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(await office.Locator("[data-error-for='accept-unit']").TextContentAsync())); // beside the field
        await BrowserServer.ShotAsync(office, "journey-accept-invalid");
        await Pages.ActAsync(office, caseNumber, "accept", "受理并交办", new Dictionary<string, string> { ["unit"] = "330799-01", ["comment"] = "请依法办理" });
        Assert.Equal("已受理，正在办理", await StageAsync(office));

        var handler = await AsAsync("handler");
        await handler.GotoAsync("/cases");
        Assert.Equal(1, await handler.GetByRole(AriaRole.Link, new() { Name = caseNumber }).CountAsync());
        await Pages.ActAsync(handler, caseNumber, "submit-opinion", "提交处理意见",
            new Dictionary<string, string> { ["outcome"] = "support", ["text"] = "经调查属实，已责令施工方夜间停工。" });
        Assert.Equal("处理意见审核中", await StageAsync(handler));

        var leader = await AsAsync("leader");
        await Pages.ActAsync(leader, caseNumber, "approve-opinion", "审核通过", new Dictionary<string, string> { ["comment"] = "同意" });
        Assert.Equal("处理意见待送达", await StageAsync(leader));

        await Pages.ActAsync(office, caseNumber, "record-service", "登记送达", new Dictionary<string, string> { ["servedOn"] = "2026-11-20", ["method"] = "in-person" });
        await Pages.ActAsync(office, caseNumber, "record-return-visit", "登记回访", new Dictionary<string, string> { ["satisfaction"] = "satisfied" });
        Assert.Equal("已办结", await StageAsync(office));
        await BrowserServer.ShotAsync(office, "journey-closed");

        var phone = await (await browsers.NewContextAsync(Client.BaseAddress!.ToString(), phone: true)).NewPageAsync();
        await phone.GotoAsync("/progress");
        await phone.GetByLabel("信访编号", new() { Exact = true }).FillAsync(caseNumber);
        await phone.GetByLabel("查询码", new() { Exact = true }).FillAsync(queryCode);
        await phone.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
        var seen = await phone.Locator("main").TextContentAsync();
        foreach (var step in new[] { "已办结", "信访事项登记", "依法受理并交办", "出具处理意见", "文书送达", "回访", "受理告知书", "信访处理意见书", "送达回证" })
            Assert.Contains(step, seen, StringComparison.Ordinal);
        await BrowserServer.ShotAsync(phone, "journey-petitioner");
    }
}
