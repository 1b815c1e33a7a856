using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Petitions.Tests.Support;
using Petitions.Workflows.Features.Deadlines;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Tests.Browser;

/// <summary>
/// A newcomer's first day on the demo as Development starts it (Demo:SeedPetitions: every board full), through the pages
/// only, in each language, a screenshot at each step (day-&lt;user&gt;-&lt;step&gt;-&lt;lang&gt;): each demo user signs in to a
/// workbench with counts, amber and red where the demo has near-due and overdue work; a petition goes from the desk
/// through the office, the unit's officer and the leader to the petitioner's phone; the supervisor finds the overdue
/// cases in red; the administrator manages a user. On a Chinese page no timeline or notice shows a raw code.
/// </summary>
public sealed partial class NewcomerDayJourneyTests(DatabaseServers servers, BrowserServer browsers) : ApiTest(StorageProvider.Sqlite, servers)
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string> { ["Demo:SeedPetitions"] = "true" };

    private const string Unit = "城关派出所", Officer = "演示用户 handler";
    private const string Note = "已约谈施工单位负责人，承诺夜间停工", Draft = "经调查，施工单位夜间违规施工属实，已责令其夜间停工。";

    public static TheoryData<string> Languages() => ["zh-CN", "en"];

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task Each_demo_user_signs_in_to_a_workbench_with_counts_amber_and_red_where_the_demo_has_such_work(string lang)
    {
        await SweepAsync();
        var reception = await AsAsync("reception", lang);
        Assert.True(await NumberAsync(reception.GetByTestId("due-soon-count")) > 0, "the desk sees what falls due this week");
        await ShotAsync(reception, "reception", "workbench", lang);

        var office = await AsAsync("office", lang);
        await RedAndAmberAsync(office, "triage");
        foreach (var queue in new[] { "opinions", "service", "return-visits", "reviews" }) await NonZeroAsync(office, $"count-{queue}");
        await NonZeroAsync(office, "orders-count");
        await ShotAsync(office, "office", "workbench", lang);

        var handler = await AsAsync("handler", lang);
        await RedAndAmberAsync(handler, "handling");
        await NonZeroAsync(handler, "orders-count");
        Assert.Equal(1, await handler.GetByTestId("count-mine").CountAsync()); // 我承办的, empty until a case is assigned to them
        await ShotAsync(handler, "handler", "workbench", lang);

        var leader = await AsAsync("leader", lang);
        foreach (var count in new[] { "count-extensions", "count-opinions", "board-overdue" }) await NonZeroAsync(leader, count);
        await ShotAsync(leader, "leader", "workbench", lang);

        var supervisor = await AsAsync("supervisor", lang);
        foreach (var count in new[] { "board-overdue", "board-near-due", "board-orders", "count-return-visits" }) await NonZeroAsync(supervisor, count);
        await ShotAsync(supervisor, "supervisor", "workbench", lang);

        // The administrator reads no petitions: the workbench counts what they administer and leads to it.
        var admin = await AsAsync("admin", lang);
        Assert.Equal((4, 6), (await NumberAsync(admin.GetByTestId("count-organizations")), await NumberAsync(admin.GetByTestId("count-users"))));
        Assert.Equal(0, await NumberAsync(admin.GetByTestId("count-users-disabled")));
        await ShotAsync(admin, "admin", "workbench", lang);
        await admin.Locator("nav a[href='/admin']").First.ClickAsync();
        Assert.Matches(@"\b4\b\D+\b6\b", await admin.GetByTestId("administered-tree").TextContentAsync()); // 4 organizations, 6 users
        await ShotAsync(admin, "admin", "administration", lang);
    }

    [Theory]
    [InlineData("zh-CN", "2026年11月18日")]
    [InlineData("en", "18 Nov 2026")]
    public async Task A_petition_goes_from_the_desk_through_the_office_the_officer_and_the_leader_to_the_petitioners_phone(string lang, string receivedOn)
    {
        // Reception: a group petition that came two days ago; the record's link and the receipt.
        var reception = await AsAsync("reception", lang);
        await Pages.FillGroupPetitionAsync(reception, receivedOn: new DateOnly(2026, 11, 18));
        await ShotAsync(reception, "reception", "register-checked", lang);
        var (caseNumber, queryCode) = await Pages.ConfirmRegistrationAsync(reception);
        await ShotAsync(reception, "reception", "registered", lang);
        var receipt = await reception.Context.RunAndWaitForPageAsync(() => reception.Locator("form[action*='/reception/receipt'] button").ClickAsync());
        await receipt.WaitForLoadStateAsync();
        Assert.Contains(queryCode, await receipt.Locator("body").TextContentAsync(), StringComparison.Ordinal);
        await ShotAsync(receipt, "reception", "receipt", lang);
        await reception.GetByTestId("case-link").ClickAsync();
        Assert.Equal($"/cases/{caseNumber}", new Uri(reception.Url).AbsolutePath);
        Assert.Contains(receivedOn, await reception.GetByTestId("facts").TextContentAsync(), StringComparison.Ordinal);
        await NoRawCodeAsync(reception, lang);
        await ShotAsync(reception, "reception", "record", lang);

        // Office: finds it among the demo's petitions by the petitioner's name and accepts it, the unit chosen by name.
        var office = await AsAsync("office", lang);
        await office.GotoAsync("/cases");
        await office.Locator("#name").FillAsync(TestData.PetitionerName);
        await office.Locator("[data-testid='search'] button[type='submit']").ClickAsync();
        Assert.Equal([caseNumber], await Rows(office).Locator("td:first-child").AllTextContentsAsync());
        await ShotAsync(office, "office", "search-by-name", lang);
        await OpenAsync(office, caseNumber);
        await ShotAsync(office, "office", "case", lang);
        await Pages.ActAsync(office, caseNumber, "accept", new Dictionary<string, string> { ["unit"] = Unit });
        Assert.Equal(Unit, await office.GetByTestId("assigned-unit").TextContentAsync());
        await StageAsync(caseNumber, "in-handling");
        await NoRawCodeAsync(office, lang);
        await ShotAsync(office, "office", "accepted", lang);

        // Handler: the unit's queue, the officer by name, "my cases", progress, the draft opinion.
        var handler = await AsAsync("handler", lang);
        await handler.GetByTestId("count-handling").ClickAsync();
        await OpenAsync(handler, caseNumber);
        await Pages.ActAsync(handler, caseNumber, "assign-officer", new Dictionary<string, string> { ["officer"] = Officer });
        Assert.Equal(Officer, await handler.GetByTestId("officer").TextContentAsync());
        await NoRawCodeAsync(handler, lang);
        await ShotAsync(handler, "handler", "officer-assigned", lang);
        await handler.GotoAsync("/");
        Assert.Equal(1, await NumberAsync(handler.GetByTestId("count-mine")));
        await handler.GetByTestId("count-mine").ClickAsync();
        Assert.Equal([caseNumber], await Rows(handler).Locator("td:first-child").AllTextContentsAsync());
        Assert.Equal(Officer, await Rows(handler).GetByTestId("officer").TextContentAsync());
        await ShotAsync(handler, "handler", "my-cases", lang);
        await OpenAsync(handler, caseNumber);
        await Pages.ActAsync(handler, caseNumber, "record-progress", new Dictionary<string, string> { ["note"] = Note });
        Assert.Contains(Note, await handler.GetByTestId("timeline").TextContentAsync(), StringComparison.Ordinal);
        await Pages.ActAsync(handler, caseNumber, "submit-opinion", new Dictionary<string, string> { ["outcome"] = "support", ["text"] = Draft });
        await StageAsync(caseNumber, "opinion-review");
        await NoRawCodeAsync(handler, lang);
        await ShotAsync(handler, "handler", "opinion-drafted", lang);

        // Leader: the opinions waiting, the draft's text on the case page, approved.
        var leader = await AsAsync("leader", lang);
        await leader.GetByTestId("count-opinions").ClickAsync();
        await OpenAsync(leader, caseNumber);
        Assert.Equal(Draft, await leader.GetByTestId("opinion").Locator("p.text").TextContentAsync());
        await NoRawCodeAsync(leader, lang);
        await ShotAsync(leader, "leader", "draft", lang);
        await Pages.ActAsync(leader, caseNumber, "approve-opinion", new Dictionary<string, string>());
        await StageAsync(caseNumber, "awaiting-service");
        await NoRawCodeAsync(leader, lang);
        await ShotAsync(leader, "leader", "approved", lang);

        // Office: service recorded; every notice the case now has, as printed.
        await office.GotoAsync("/");
        await office.GetByTestId("count-service").ClickAsync();
        await OpenAsync(office, caseNumber);
        await Pages.ActAsync(office, caseNumber, "record-service", new Dictionary<string, string> { ["servedOn"] = "2026-11-20", ["method"] = "in-person" });
        await StageAsync(caseNumber, "return-visit");
        await NoRawCodeAsync(office, lang);
        await ShotAsync(office, "office", "served", lang);
        var notices = await office.GetByTestId("notices").Locator("a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        Assert.NotEmpty(notices);
        foreach (var (notice, i) in notices.Select((n, i) => (n, i)))
        {
            await office.GotoAsync(notice);
            await NoRawCodeAsync(office, lang, "body"); // a notice prints on a page of its own
            await ShotAsync(office, "office", $"notice-{i + 1}", lang);
        }

        // The petitioner, on a phone: the case number and query code from the receipt; the reply they were served.
        var petitioner = await (await browsers.NewContextAsync(Client.BaseAddress!.ToString(), phone: true)).NewPageAsync();
        await petitioner.GotoAsync($"/progress?lang={lang}");
        await petitioner.Locator("#case-number").FillAsync(caseNumber);
        await petitioner.Locator("#query-code").FillAsync(queryCode);
        await petitioner.Locator("form:has(#query-code) button[type='submit']").ClickAsync();
        Assert.Contains(Draft, await petitioner.GetByTestId("reply").TextContentAsync(), StringComparison.Ordinal);
        await NoRawCodeAsync(petitioner, lang, "main");
        await ShotAsync(petitioner, "petitioner", "progress", lang);
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task The_supervisor_sees_the_boards_and_the_overdue_cases_in_red_and_no_case_shows_a_raw_code(string lang)
    {
        await SweepAsync();
        var supervisor = await AsAsync("supervisor", lang);
        var overdue = await NumberAsync(supervisor.GetByTestId("board-overdue"));
        Assert.True(overdue > 0, "the demo has overdue clocks");
        await supervisor.GetByTestId("board-overdue").ClickAsync();
        Assert.True(await supervisor.GetByTestId("board").CountAsync() > 0);
        await ShotAsync(supervisor, "supervisor", "board-overdue", lang);

        await supervisor.GotoAsync("/cases");
        await supervisor.Locator("#due").SelectOptionAsync("overdue");
        await supervisor.Locator("[data-testid='search'] button[type='submit']").ClickAsync();
        var red = await Rows(supervisor).Locator("td:last-child").EvaluateAllAsync<string[]>("cells => cells.map(c => c.className)");
        Assert.NotEmpty(red);
        Assert.All(red, colour => Assert.Equal("red", colour));
        Assert.Equal(red.Length, await NumberAsync(supervisor.GetByTestId("total")));
        await ShotAsync(supervisor, "supervisor", "overdue-cases", lang);

        // Every demo case, in every stage the demo has, read by the county's supervisor and by the city's office (the
        // referring cases, the reviews): its timeline and notices in words.
        Assert.True(await EveryCaseInWordsAsync(supervisor, lang) >= 20, "the county's demo cases");
        Assert.True(await EveryCaseInWordsAsync(await AsAsync("city-office", lang), lang) >= 3, "the city's demo cases");
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task The_administrator_creates_a_user_gives_a_role_resets_the_password_and_disables_them(string lang)
    {
        var admin = await AsAsync("admin", lang);
        await admin.GotoAsync("/admin/users");
        await admin.Locator("#new-organization").SelectOptionAsync("330799");
        await admin.Locator("form[action='/admin/users/new'] button[type='submit']").ClickAsync();
        await admin.Locator("#user-name").FillAsync("newcomer");
        await admin.Locator("#display-name").FillAsync("新来的接访员");
        await admin.Locator("#password").FillAsync("Newcomer-first-1");
        await admin.Locator("#roles input[value='reception']").CheckAsync();
        await ShotAsync(admin, "admin", "new-user", lang);
        await admin.Locator("section form button[type='submit']").ClickAsync();
        var row = admin.GetByTestId("users").Locator("tr[data-user='newcomer']");
        Assert.Equal(1, await row.CountAsync());
        await ShotAsync(admin, "admin", "user-created", lang);

        await row.Locator("a[href$='/roles']").ClickAsync();
        await admin.Locator("#roles input[value='office']").CheckAsync();
        await admin.Locator("main form button[type='submit']").ClickAsync();
        Assert.EndsWith("/admin/users", admin.Url, StringComparison.Ordinal);
        Assert.Equal(["office", "reception"], (await Database.QueryAsync<string>(
            "SELECT r.role FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.user_name = 'newcomer'")).Order());
        await ShotAsync(admin, "admin", "role-given", lang);

        await row.Locator("a[href$='/password']").ClickAsync();
        await admin.Locator("#new-password").FillAsync("Newcomer-reset-2");
        await admin.Locator("#confirmation").FillAsync("Newcomer-reset-2");
        await admin.Locator("main form button[type='submit']").ClickAsync();
        Assert.EndsWith("/admin/users", admin.Url, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await SignInStatusAsync("newcomer", "Newcomer-reset-2"));
        await ShotAsync(admin, "admin", "password-reset", lang);

        await row.Locator("form button").ClickAsync();
        Assert.Equal(1, await row.GetByTestId("state").Locator(".red").CountAsync());
        Assert.NotEqual(HttpStatusCode.OK, await SignInStatusAsync("newcomer", "Newcomer-reset-2"));
        await ShotAsync(admin, "admin", "user-disabled", lang);
    }

    /// <summary>The deadline sweep Development's scheduler runs as it starts (the tests' is off): it marks the clocks
    /// near their due day, which the boards count as amber.</summary>
    private async Task SweepAsync()
    {
        await using var scope = Api.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<MediatR.IMediator>().Send(new SweepClocks.Command(), Ct);
    }

    private Task<IPage> AsAsync(string user, string lang) => Pages.SignedInAsync(browsers, Client.BaseAddress!, user, lang);

    private static ILocator Rows(IPage page) => page.Locator("table.cases tbody tr");

    private static Task ShotAsync(IPage page, string user, string step, string lang) => BrowserServer.ShotAsync(page, $"day-{user}-{step}-{lang}");

    /// <summary>Opens the case from the list on the page, as a person clicks its number.</summary>
    private static async Task OpenAsync(IPage page, string caseNumber)
    {
        await Rows(page).Locator($"a[href='/cases/{caseNumber}']").ClickAsync();
        Assert.Equal($"/cases/{caseNumber}", new Uri(page.Url).AbsolutePath);
    }

    /// <summary>The number a count shows ("12", "超期 1", "1 found", "共 3 件"): its last figure.</summary>
    private static async Task<long> NumberAsync(ILocator count) =>
        long.Parse(LastFigure().Match((await count.TextContentAsync())!).Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\d+(?=\D*$)")]
    private static partial Regex LastFigure();

    private static async Task NonZeroAsync(IPage page, string testId) =>
        Assert.True(await NumberAsync(page.GetByTestId(testId)) > 0, $"{testId} is 0 on the demo");

    /// <summary>A queue with work in it, some of it amber and some red (the demo has both in it).</summary>
    private static async Task RedAndAmberAsync(IPage page, string queue)
    {
        await NonZeroAsync(page, $"count-{queue}");
        Assert.True(await NumberAsync(page.Locator($"a.amber[data-testid='near-due-{queue}']")) > 0, $"nothing amber in {queue}");
        Assert.True(await NumberAsync(page.Locator($"a.red[data-testid='overdue-{queue}']")) > 0, $"nothing red in {queue}");
    }

    /// <summary>Opens every case on the user's list: on a Chinese page none shows a raw code. Returns how many there are.</summary>
    private async Task<int> EveryCaseInWordsAsync(IPage page, string lang)
    {
        await page.GotoAsync("/cases");
        var cases = await Rows(page).Locator("td:first-child").AllTextContentsAsync();
        if (lang != "zh-CN") return cases.Count;
        foreach (var caseNumber in cases)
        {
            await page.GotoAsync($"/cases/{caseNumber}");
            await NoRawCodeAsync(page, lang);
        }
        return cases.Count;
    }

    /// <summary>On a Chinese page, the timeline and notices (or all of <paramref name="scope"/>) say every code in words,
    /// and every step has who took it.</summary>
    private async Task NoRawCodeAsync(IPage page, string lang, string scope = "[data-testid='timeline'], [data-testid='notices']")
    {
        if (lang != "zh-CN") return;
        var text = string.Join("\n", await page.Locator(scope).AllTextContentsAsync());
        Assert.False(string.IsNullOrWhiteSpace(text), $"nothing to read on {page.Url}");
        var code = RawCodes.In(text, Api.Services.GetRequiredService<WorkflowCatalog>());
        Assert.True(code is null, $"'{code}' shows as it is on {page.Url}: {text}");
        Assert.DoesNotContain("· ·", text, StringComparison.Ordinal);
    }

    /// <summary>Waits until the petition is in <paramref name="stage"/>: what the page said was done is recorded.</summary>
    private Task StageAsync(string caseNumber, string stage) => Progress.UntilAsync(
        () => Database.CountAsync("petitions", "case_number = @CaseNumber AND stage = @Stage", new { CaseNumber = caseNumber, Stage = stage }), 1, $"{caseNumber} is {stage}");

    private async Task<HttpStatusCode> SignInStatusAsync(string userName, string password) =>
        (await Client.PostAsJsonAsync("/api/auth/token", new { userName, password }, Ct)).StatusCode;
}
