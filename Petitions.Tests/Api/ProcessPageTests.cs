using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Petitions.Api;
using Petitions.Domain;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Tests.Api;

/// <summary>The process page draws every installed workflow definition from the definition itself, and a petition
/// where it stands, with what the user may do on it now; for a petition, only within the user's reach.</summary>
public sealed partial class ProcessPageTests(DatabaseServers servers) : ApiTest(StorageProvider.Sqlite, servers)
{
    private async Task<HttpClient> SignedInAsync(string user)
    {
        var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() }) { BaseAddress = Client.BaseAddress };
        var token = FormToken().Match(await browser.GetStringAsync("/login", Ct)).Groups["token"].Value;
        await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["userName"] = user, ["password"] = TestData.Password,
        }), Ct);
        return browser;
    }

    private static string Svg(string html) => Regex.Match(html, "<svg.*</svg>", RegexOptions.Singleline).Value;

    [Fact]
    public async Task Every_stage_and_action_of_every_installed_definition_is_drawn_the_same_way_each_time()
    {
        var catalog = Api.Services.GetRequiredService<WorkflowCatalog>();
        var words = Api.Services.GetRequiredService<IStringLocalizer<Words>>();
        var office = await SignedInAsync("office");
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("zh-CN"); // the page's default

        foreach (var version in catalog.Versions)
        {
            var definition = catalog.Get(version);
            var html = await office.GetStringAsync($"/process?version={version}", Ct);
            var svg = Svg(html);

            var stages = StageBox().Matches(svg).Select(m => m.Groups["stage"].Value).ToList();
            var expectedStages = Enum.GetValues<Stage>().Where(s => definition.Actions.Any(a => a.From.Contains(s) || a.To.Contains(s))).Select(Codes.Of);
            Assert.Equal(expectedStages, stages); // in the order of DOMAIN.md §2
            var drawn = Arrow().Matches(svg).Select(m => (m.Groups["action"].Value, m.Groups["from"].Value, m.Groups["to"].Value)).ToHashSet();
            var expected = definition.Actions.SelectMany(a => a.From.Select(from => (a.Code, Codes.Of(from), string.Join(" ", a.To.Select(Codes.Of))))).ToHashSet();
            Assert.Equal(expected, drawn);
            foreach (var action in definition.Actions)
                Assert.Contains(WebUtility.HtmlEncode(Petitions.Api.Pages.Cases.ActionForms.Name(words, action.Code)), html, StringComparison.Ordinal);
            Assert.Equal(svg, Svg(await office.GetStringAsync($"/process?version={version}", Ct)));
        }
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync($"/process?version={catalog.Latest.Version + 1}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync("/process?version=0", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_chinese_and_english_drawings_name_roles_clocks_and_notices_in_words()
    {
        var office = await SignedInAsync("office");

        var chinese = await office.GetStringAsync("/process?lang=zh-CN", Ct);
        var english = await office.GetStringAsync("/process?lang=en", Ct);
        var first = await office.GetStringAsync("/process?version=1&lang=zh-CN", Ct);

        // Version 2, in force: one handling period per acceptance, the referral answered by the receiving bureau.
        Assert.Contains("受理并交办 → 办理中", chinese, StringComparison.Ordinal);
        Assert.Contains("信访办 · 停止受理告知期限；停止交办异议期限；开始或接续办理期限 · 出具受理告知书", chinese, StringComparison.Ordinal);
        Assert.Contains("交下级机关 → 已交办待报告", chinese, StringComparison.Ordinal);
        Assert.Contains("对交办提出异议 → 已办结", chinese, StringComparison.Ordinal);
        Assert.Contains("交办被退回 → 已登记", chinese, StringComparison.Ordinal);
        Assert.Contains("交办结果已报告 → 已办结", chinese, StringComparison.Ordinal);
        Assert.Contains("自动：随关联信访件的操作发生", chinese, StringComparison.Ordinal);
        Assert.Contains("Accept and assign → In handling", english, StringComparison.Ordinal);
        Assert.Contains("Petition office · stops Intake notice; stops Referral objection;", english, StringComparison.Ordinal);
        Assert.Contains("starts or continues Handling", english, StringComparison.Ordinal);
        Assert.Contains("Referral reported back →", english, StringComparison.Ordinal);
        Assert.Contains("acceptance", english, StringComparison.Ordinal);
        foreach (var code in new[] { "office", "handler", "intake", "acceptance", "proof-of-service", "referral-objection", "referral-returned", "referral-reported", "report-back" })
            Assert.DoesNotContain($">{code}<", Svg(chinese), StringComparison.Ordinal);
        // Version 1, as it was: a new handling period at each acceptance, a referral closes the case.
        Assert.Contains("信访办 · 停止受理告知期限；开始办理期限 · 出具受理告知书", first, StringComparison.Ordinal);
        Assert.DoesNotContain("交办被退回", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_petition_is_drawn_where_it_stands_with_the_arrows_the_user_may_take_now()
    {
        var caseNumber = (await JsonAsync(await RegisterAsync(await TokenAsync("reception"), PetitionBody()))).GetProperty("caseNumber").GetString()!;
        await SendAsync(HttpMethod.Post, $"/api/petitions/{caseNumber}/actions/accept", await TokenAsync("office"), JsonContent.Create(new { unit = "330799-01" }));

        foreach (var user in new[] { "handler", "office", "leader", "supervisor" })
        {
            var allowed = (await JsonAsync(await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}/actions", await TokenAsync(user))))
                .EnumerateArray().Select(a => a.GetProperty("action").GetString()!).Order().ToList();
            var svg = Svg(await (await SignedInAsync(user)).GetStringAsync($"/process?case={caseNumber}", Ct));

            Assert.Equal(["in-handling"], CurrentStage().Matches(svg).Select(m => m.Groups["stage"].Value));
            var highlighted = Available().Matches(svg).Select(m => m.Groups["action"].Value).Order().ToList();
            Assert.Equal(allowed, highlighted);
            Assert.All(Available().Matches(svg), m => Assert.Equal("in-handling", m.Groups["from"].Value));
        }
        Assert.Contains($"href=\"/process?case={caseNumber}\"", await (await SignedInAsync("handler")).GetStringAsync($"/cases/{caseNumber}", Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_petition_outside_ones_reach_is_not_drawn()
    {
        await TestData.SeedAsync(Api.Services);
        var caseNumber = (await JsonAsync(await RegisterAsync(await TokenAsync("reception"), PetitionBody()))).GetProperty("caseNumber").GetString()!;
        var anonymous = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = Client.BaseAddress };

        Assert.Equal(HttpStatusCode.NotFound, (await (await SignedInAsync("reception2")).GetAsync($"/process?case={caseNumber}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await SignedInAsync("admin")).GetAsync($"/process?case={caseNumber}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await SignedInAsync("admin")).GetAsync("/process", Ct)).StatusCode); // the process itself is no secret
        Assert.Equal(HttpStatusCode.NotFound, (await (await SignedInAsync("office")).GetAsync("/process?case=XF-330799-2026-999999", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await (await SignedInAsync("office")).GetAsync("/process?case=%3Cscript%3E", Ct)).StatusCode);
        var signIn = await anonymous.GetAsync($"/process?case={caseNumber}", Ct);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Contains("/login", signIn.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [GeneratedRegex("<g class=\"stage[^\"]*\" data-stage=\"(?<stage>[a-z-]+)\">")]
    private static partial Regex StageBox();

    [GeneratedRegex("<g class=\"stage current\" data-stage=\"(?<stage>[a-z-]+)\">")]
    private static partial Regex CurrentStage();

    [GeneratedRegex("<g class=\"transition[^\"]*\" data-action=\"(?<action>[a-z-]+)\" data-from=\"(?<from>[a-z-]+)\" data-to=\"(?<to>[a-z -]*)\">")]
    private static partial Regex Arrow();

    [GeneratedRegex("<g class=\"transition available[^\"]*\" data-action=\"(?<action>[a-z-]+)\" data-from=\"(?<from>[a-z-]+)\"")]
    private static partial Regex Available();
}
