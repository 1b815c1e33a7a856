using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Domain;
using Petitions.Tests.Support;
using Petitions.Workflows.Features.Deadlines;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Tests.Api;

/// <summary>
/// The case page over HTTP, as a signed-in browser sends it: organizations chosen by name (and never the accused unit
/// of an accusation), a typed name that matches nothing refused beside its field, another county's case a 404, and on a
/// Chinese page no raw code in the timeline, the notices or the facts, every actor named.
/// </summary>
public sealed partial class CasePageTests(DatabaseServers servers) : ApiTest(StorageProvider.Sqlite, servers)
{
    [Fact]
    public async Task The_office_accepts_by_choosing_a_unit_by_name_and_the_page_shows_no_code()
    {
        var caseNumber = await RegisterAsync();
        await SignInAsync("office");

        var page = await Browser.GetStringAsync($"/cases/{caseNumber}?lang=zh-CN", Ct);
        Assert.Contains("<datalist id=\"accept-unit-options\">", page, StringComparison.Ordinal);
        foreach (var name in new[] { "城关派出所", "刑事侦查大队", "治安管理大队" })
            Assert.Contains($"<option value=\"{name}\">", page, StringComparison.Ordinal);
        Assert.DoesNotContain("330799-0", page, StringComparison.Ordinal); // no unit is shown by its code

        var accepted = await PostActionAsync(caseNumber, "accept", new() { ["unit"] = "刑事侦查大队", ["comment"] = "请依法办理" });
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        var record = await RecordAsync(caseNumber);
        Assert.Equal("in-handling", record.GetProperty("stage").GetString());
        Assert.Equal("330799-02", record.GetProperty("assignedUnit").GetProperty("code").GetString());
        Assert.Contains("刑事侦查大队", Section(await Browser.GetStringAsync($"/cases/{caseNumber}", Ct), "dl", "facts"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zh-CN", "承办单位：可选的单位中没有“第九大队”")]
    [InlineData("en", "Handling unit: “第九大队” is none of the choices")]
    public async Task A_name_that_matches_no_unit_is_refused_beside_its_field_and_changes_nothing(string lang, string message)
    {
        var caseNumber = await RegisterAsync();
        await SignInAsync("office");

        var refused = await PostActionAsync(caseNumber, "accept", new() { ["unit"] = "第九大队" }, lang);

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Contains(message, FieldError(page, "accept-unit"), StringComparison.Ordinal);
        Assert.Contains("value=\"第九大队\"", page, StringComparison.Ordinal); // what was typed stays in the field
        Assert.Equal(1, await Database.CountAsync("petition_events"));
        Assert.Equal("registered", (await RecordAsync(caseNumber)).GetProperty("stage").GetString());
    }

    [Fact]
    public async Task The_accused_unit_of_an_accusation_is_never_offered_to_accept_or_reassign_nor_taken_by_its_name()
    {
        var caseNumber = await RegisterAsync(body =>
        {
            body["category"] = "accusation";
            body["involvedUnit"] = "城关派出所";
            body["involvedUnitCode"] = "330799-01";
        });
        var office = await TokenAsync("office");
        Assert.Equal(["330799-02", "330799-03"], await ChoicesAsync(office, caseNumber, "accept", "unit"));
        await SignInAsync("office");
        var offered = Regex.Match(await Browser.GetStringAsync($"/cases/{caseNumber}", Ct), "<datalist id=\"accept-unit-options\">(.*?)</datalist>", RegexOptions.Singleline);
        Assert.Contains("<option value=\"刑事侦查大队\">", offered.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("城关派出所", offered.Value, StringComparison.Ordinal);

        var byName = await PostActionAsync(caseNumber, "accept", new() { ["unit"] = "城关派出所" });
        Assert.Contains("城关派出所", FieldError(await byName.Content.ReadAsStringAsync(Ct), "accept-unit"), StringComparison.Ordinal);
        Assert.Equal("registered", (await RecordAsync(caseNumber)).GetProperty("stage").GetString());

        Assert.Equal(HttpStatusCode.Redirect, (await PostActionAsync(caseNumber, "accept", new() { ["unit"] = "刑事侦查大队" })).StatusCode);
        Assert.Equal(["330799-03"], await ChoicesAsync(office, caseNumber, "reassign", "unit")); // neither the accused nor the unit handling it
        Assert.Equal(HttpStatusCode.Redirect, (await PostActionAsync(caseNumber, "reassign", new() { ["unit"] = "治安管理大队", ["reason"] = "涉及治安案件" })).StatusCode);
        Assert.Equal("330799-03", (await RecordAsync(caseNumber)).GetProperty("assignedUnit").GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_unit_assigns_an_officer_chosen_by_name_and_the_facts_and_the_list_name_them()
    {
        var caseNumber = await RegisterAsync();
        await ActAsync("office", caseNumber, "accept", new { unit = "330799-01" });
        await SignInAsync("handler");

        var page = await Browser.GetStringAsync($"/cases/{caseNumber}?lang=zh-CN", Ct);
        Assert.Contains("尚未指定", Section(page, "dl", "facts"), StringComparison.Ordinal);
        Assert.Contains("<option value=\"演示用户 handler\">", Regex.Match(page, "<datalist id=\"assign-officer-officer-options\">(.*?)</datalist>", RegexOptions.Singleline).Value,
            StringComparison.Ordinal);

        var unknown = await PostActionAsync(caseNumber, "assign-officer", new() { ["officer"] = "王五" });
        Assert.Contains("承办人：可选的人员中没有“王五”", FieldError(await unknown.Content.ReadAsStringAsync(Ct), "assign-officer-officer"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await PostActionAsync(caseNumber, "assign-officer", new() { ["officer"] = "演示用户 handler" })).StatusCode);

        Assert.Equal("handler", (await RecordAsync(caseNumber)).GetProperty("officer").GetProperty("userName").GetString());
        var assigned = await Browser.GetStringAsync($"/cases/{caseNumber}", Ct);
        Assert.Contains("承办人 演示用户 handler", Section(assigned, "dl", "facts"), StringComparison.Ordinal);
        // The unit has no other handler: no form to assign one with an empty list, nor its button.
        Assert.DoesNotContain("act-assign-officer", assigned, StringComparison.Ordinal);
        Assert.Contains("id=\"act-record-progress\"", assigned, StringComparison.Ordinal);
        var mine = await Browser.GetStringAsync("/cases?officer=me", Ct);
        Assert.Contains(caseNumber, mine, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"my-cases\" aria-current=\"page\"", mine, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"count-mine\">1<", await Browser.GetStringAsync("/", Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_city_refers_to_a_county_chosen_by_name_and_the_office_states_that_no_unit_of_ours_is_accused()
    {
        await TestData.SeedAsync(Api.Services); // the city's office, and the neighbouring county
        var referred = await RegisterAsync(user: "city");
        Assert.Equal([TestData.OtherCountyCode, "330799"], await ChoicesAsync(await TokenAsync("city"), referred, "refer", "bureau"));
        await SignInAsync("city");
        Assert.Equal(HttpStatusCode.Redirect, (await PostActionAsync(referred, "refer", new() { ["bureau"] = "示范县公安局" })).StatusCode);
        Assert.Contains("→ 示范县公安局", Section(await Browser.GetStringAsync($"/cases/{referred}", Ct), "ol", "timeline"), StringComparison.Ordinal);

        var accusation = await RegisterAsync(body => body["category"] = "accusation");
        Assert.Equal(["330799-01", "330799-02", "330799-03"], await ChoicesAsync(await TokenAsync("office"), accusation, "confirm-accused-unit", "unit"));
        await SignInAsync("office");
        Assert.Contains("<option value=\"不涉及本局单位\">", await Browser.GetStringAsync($"/cases/{accusation}?lang=zh-CN", Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect,
            (await PostActionAsync(accusation, "confirm-accused-unit", new() { ["unit"] = "不涉及本局单位", ["reason"] = "信访人所指为外地单位" })).StatusCode);

        var timeline = Section(await Browser.GetStringAsync($"/cases/{accusation}", Ct), "ol", "timeline");
        Assert.Contains("不涉及本局单位：信访人所指为外地单位", timeline, StringComparison.Ordinal);
        var linked = Assert.Single(await Database.QueryAsync<string>("SELECT case_number FROM petitions WHERE bureau_path <> (SELECT bureau_path FROM petitions WHERE case_number = @Referred) AND case_number <> @Accusation",
            new { Referred = referred, Accusation = accusation }));
        Assert.Contains("上级机关交办", Section(await Browser.GetStringAsync($"/cases/{linked}", Ct), "ol", "timeline"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_countys_case_is_not_found()
    {
        await TestData.SeedAsync(Api.Services); // the neighbouring county and its desk
        var theirs = await RegisterAsync(user: "reception2");
        await SignInAsync("office");

        Assert.Equal(HttpStatusCode.NotFound, (await Browser.GetAsync($"/cases/{theirs}", Ct)).StatusCode);
        var token = await FormTokenAsync("/cases");
        var posted = await PostFormAsync($"/cases/{theirs}?handler=Act&action=accept", new() { ["__RequestVerificationToken"] = token, ["unit"] = "城关派出所" });
        Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
        Assert.Equal(1, await Database.CountAsync("petition_events"));
    }

    [Theory]
    [InlineData("zh-CN", "此项不能为空。")]
    [InlineData("en", "must not be empty")]
    public async Task An_empty_service_date_is_a_clear_message_beside_the_field(string lang, string message)
    {
        var caseNumber = await RegisterAsync();
        await ActAsync("office", caseNumber, "accept", new { unit = "330799-01" });
        await ActAsync("handler", caseNumber, "submit-opinion", new { outcome = "support", text = "经调查属实。" });
        await ActAsync("leader", caseNumber, "approve-opinion", new { });
        await SignInAsync("office");

        var refused = await PostActionAsync(caseNumber, "record-service", new() { ["servedOn"] = "", ["method"] = "in-person" }, lang);

        var error = FieldError(await refused.Content.ReadAsStringAsync(Ct), "record-service-servedOn");
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("Null", error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("awaiting-service", (await RecordAsync(caseNumber)).GetProperty("stage").GetString());
    }

    [Fact]
    public async Task A_chinese_case_page_says_every_code_in_words_and_names_every_actor()
    {
        await TestData.SeedAsync(Api.Services); // the city's office decides the review
        var (caseNumber, diverted) = await LongLifeAsync();
        await SignInAsync("office");

        foreach (var petition in new[] { caseNumber, diverted })
        {
            var page = await Browser.GetStringAsync($"/cases/{petition}?lang=zh-CN", Ct);
            foreach (var (section, text) in new[] { ("timeline", Section(page, "ol", "timeline")), ("notices", Section(page, "ul", "notices")), ("facts", Section(page, "dl", "facts")), ("clocks", Section(page, "ul", "clocks")) })
            {
                Assert.True(RawCode(text) is null, $"{petition} {section} shows '{RawCode(text)}': {text}");
                Assert.DoesNotMatch(IsoDate(), text);
            }
            var steps = Steps(page);
            Assert.All(steps, step => Assert.DoesNotContain("· ·", step, StringComparison.Ordinal));
            Assert.All(Actors(page), actor => Assert.False(string.IsNullOrWhiteSpace(actor)));
            foreach (Match notice in NoticeLink().Matches(page))
            {
                var document = Text(StyleBlock().Replace(await Browser.GetStringAsync(notice.Value, Ct), ""));
                Assert.True(RawCode(document) is null, $"{notice.Value} shows '{RawCode(document)}': {document}");
                Assert.DoesNotMatch(IsoDate(), document);
            }
        }

        var timeline = Steps(await Browser.GetStringAsync($"/cases/{caseNumber}", Ct));
        Assert.Contains(timeline, s => s.Contains("超期", StringComparison.Ordinal) && s.Contains("系统", StringComparison.Ordinal) && s.Contains("受理告知期限", StringComparison.Ordinal));
        Assert.Contains(timeline, s => s.Contains("评价办理结果", StringComparison.Ordinal) && s.Contains("信访人", StringComparison.Ordinal) && s.Contains("不满意", StringComparison.Ordinal));
        Assert.Contains(timeline, s => s.Contains("延长30天：案情复杂", StringComparison.Ordinal));
        Assert.Contains(timeline, s => s.Contains("电子送达", StringComparison.Ordinal));
        Assert.Contains(timeline, s => s.Contains("基本满意：信访人表示理解", StringComparison.Ordinal));
        Assert.Contains(timeline, s => s.Contains("维持", StringComparison.Ordinal));

        var english = Steps(await Browser.GetStringAsync($"/cases/{caseNumber}?lang=en", Ct));
        Assert.Contains(english, s => s.Contains("30 more days", StringComparison.Ordinal) && !s.Contains("+30 d", StringComparison.Ordinal));
        Assert.Contains(english, s => s.Contains("Electronically", StringComparison.Ordinal));
        Assert.Contains(english, s => s.Contains("The petitioner", StringComparison.Ordinal) && s.Contains("Dissatisfied", StringComparison.Ordinal));
        Assert.Contains(english, s => s.Contains("The system", StringComparison.Ordinal) && s.Contains("Intake notice", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_facts_say_where_the_petition_stands()
    {
        var caseNumber = await RegisterAsync();
        await ActAsync("office", caseNumber, "accept", new { unit = "330799-01" });
        await ActAsync("leader", caseNumber, "take-charge", new { });
        await SignInAsync("office");

        var page = await Browser.GetStringAsync($"/cases/{caseNumber}?lang=zh-CN", Ct);
        var facts = Section(page, "dl", "facts");
        foreach (var fact in new[] { "来访", "申诉求决类", "城关派出所", "演示用户 leader", "示范县公安局", "初信初访" })
            Assert.Contains(fact, facts, StringComparison.Ordinal);
        Assert.Matches(@"办理期限 · 到期 \d{4}年\d{1,2}月\d{1,2}日(（暂定）)? · 计时中 · 剩余\d+天", Section(page, "ul", "clocks"));
        Assert.Contains("href=\"#act-record-progress\"", page, StringComparison.Ordinal); // the actions as buttons at the top
        Assert.DoesNotContain("<details", page, StringComparison.Ordinal); // and their forms in view
    }

    /// <summary>A petition through most of its life (a deadline missed, an extension, a supervision order, a leader in
    /// charge, an opinion returned and resubmitted, service, the petitioner's and the return visit's satisfaction, a
    /// review) and another diverted into litigation; each action sent through the API.</summary>
    private async Task<(string CaseNumber, string Diverted)> LongLifeAsync()
    {
        var registered = await JsonAsync(await RegisterAsync(await TokenAsync("reception"), PetitionBody()));
        var caseNumber = registered.GetProperty("caseNumber").GetString()!;
        var diverted = await RegisterAsync();
        await ActAsync("office", diverted, "divert", new { procedure = "litigation", comment = "已进入诉讼程序" });

        Api.Clock.Advance(TimeSpan.FromDays(30)); // the intake clock runs out
        await using (var scope = Api.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<MediatR.IMediator>().Send(new SweepClocks.Command(), Ct);
        await ActAsync("office", caseNumber, "accept", new { unit = "330799-01", comment = "请依法办理" });
        await ActAsync("handler", caseNumber, "record-progress", new { note = "已走访调查" });
        await ActAsync("handler", caseNumber, "request-extension", new { days = 30, reason = "案情复杂" });
        await ActAsync("leader", caseNumber, "approve-extension", new { reason = "案情复杂，需进一步调查" });
        var order = await JsonAsync(await SendAsync(HttpMethod.Post, "/api/supervision/orders", await TokenAsync("supervisor"),
            JsonContent.Create(new { caseNumber, problem = "久拖未决", requirement = "三日内说明" })));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/supervision/orders/{order.GetProperty("id").GetInt64()}/response",
            await TokenAsync("handler"), JsonContent.Create(new { response = "本周内答复" }))).StatusCode);
        await ActAsync("leader", caseNumber, "take-charge", new { comment = "亲自督办" });
        await ActAsync("handler", caseNumber, "submit-opinion", new { outcome = "support", text = "经调查属实。" });
        await ActAsync("leader", caseNumber, "return-opinion", new { reason = "请补充调查笔录" });
        await ActAsync("handler", caseNumber, "submit-opinion", new { outcome = "explain", text = "经补充调查，作如下解释。" });
        await ActAsync("leader", caseNumber, "approve-opinion", new { comment = "同意" });
        await ActAsync("office", caseNumber, "record-service", new { servedOn = ShanghaiTime.DateOf(Api.Clock.GetUtcNow()).ToString("yyyy-MM-dd"), method = "electronic" });
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsJsonAsync($"/api/public/petitions/{caseNumber}/evaluation",
            new { queryCode = registered.GetProperty("queryCode").GetString(), satisfaction = "dissatisfied" }, Ct)).StatusCode);
        await ActAsync("office", caseNumber, "record-return-visit", new { satisfaction = "basically-satisfied", note = "信访人表示理解" });
        await ActAsync("office", caseNumber, "request-review", new { reason = "对处理意见不服" });
        await ActAsync("city", caseNumber, "submit-review-opinion", new { outcome = "uphold", text = "原处理意见并无不当，予以维持。" });
        return (caseNumber, diverted);
    }

    private string? RawCode(string text) => RawCodes.In(text, Api.Services.GetRequiredService<WorkflowCatalog>());

    private async Task<string> RegisterAsync(Action<Dictionary<string, object?>>? change = null, string user = "reception")
    {
        var body = PetitionBody();
        change?.Invoke(body);
        var response = await RegisterAsync(await TokenAsync(user), body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await JsonAsync(response)).GetProperty("caseNumber").GetString()!;
    }

    private async Task ActAsync(string user, string caseNumber, string action, object body)
    {
        var response = await SendAsync(HttpMethod.Post, $"/api/petitions/{caseNumber}/actions/{action}", await TokenAsync(user), JsonContent.Create(body));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{action}: {await response.Content.ReadAsStringAsync(Ct)}");
    }

    private async Task<JsonElement> RecordAsync(string caseNumber, string user = "office") =>
        await JsonAsync(await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}", await TokenAsync(user)));

    /// <summary>The codes the actions list offers for a field of an action.</summary>
    private async Task<string[]> ChoicesAsync(string token, string caseNumber, string action, string field)
    {
        var actions = await JsonAsync(await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}/actions", token));
        return actions.EnumerateArray().Single(a => a.GetProperty("action").GetString() == action)
            .GetProperty("choices").GetProperty(field).EnumerateArray().Select(c => c.GetProperty("code").GetString()!).ToArray();
    }

    /// <summary>Posts an action's form on the case page, as the page's own form does.</summary>
    private async Task<HttpResponseMessage> PostActionAsync(string caseNumber, string action, Dictionary<string, string> fields, string lang = "zh-CN")
    {
        fields["__RequestVerificationToken"] = await FormTokenAsync($"/cases/{caseNumber}");
        return await PostFormAsync($"/cases/{caseNumber}?handler=Act&action={action}&lang={lang}", fields);
    }

    /// <summary>The text of the element of the page marked <c>data-testid</c>.</summary>
    private static string Section(string page, string element, string testId) =>
        Regex.Match(page, $"<{element}[^>]*data-testid=\"{testId}\"[^>]*>(.*?)</{element}>", RegexOptions.Singleline) is { Success: true } found
            ? Text(found.Groups[1].Value)
            : "";

    private static IReadOnlyList<string> Steps(string page) =>
        Regex.Matches(Regex.Match(page, "<ol class=\"timeline\"[^>]*>(.*?)</ol>", RegexOptions.Singleline).Groups[1].Value, "<li>(.*?)</li>", RegexOptions.Singleline)
            .Select(m => Text(m.Groups[1].Value)).ToList();

    private static IReadOnlyList<string> Actors(string page) =>
        Regex.Matches(page, "<span class=\"actor\">(.*?)</span>", RegexOptions.Singleline).Select(m => Text(m.Groups[1].Value)).ToList();

    private static string FieldError(string page, string id) =>
        Regex.Match(page, $"data-error-for=\"{id}\">(.*?)</span>", RegexOptions.Singleline).Groups[1].Value is var raw ? WebUtility.HtmlDecode(raw) : "";

    private static string Text(string html) => Regex.Replace(WebUtility.HtmlDecode(Regex.Replace(html, "<[^>]+>", " ")), @"\s+", " ").Trim();

    [GeneratedRegex(@"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"/cases/XF-[0-9-]+/notices/\d+")]
    private static partial Regex NoticeLink();

    [GeneratedRegex("<style>.*?</style>", RegexOptions.Singleline)]
    private static partial Regex StyleBlock();
}
