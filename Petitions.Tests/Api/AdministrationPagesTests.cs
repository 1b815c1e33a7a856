using System.Net;
using System.Text.RegularExpressions;
using Petitions.Domain;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Api;

/// <summary>
/// The administration pages as a browser sends them (cookies, forms with their antiforgery token, no redirects
/// followed): who may open them, that a county's administrator reaches nothing outside the county by editing an
/// address or a form field (404, nothing changed), and that a refused form keeps its messages beside the fields.
/// </summary>
public sealed partial class AdministrationPagesTests(DatabaseServers servers) : ApiTest(StorageProvider.Sqlite, servers)
{
    private static readonly string[] Pages =
    [
        "/admin", "/admin/organizations", "/admin/users", "/admin/users/new?organization=330799-01", "/admin/users/handler/password", "/admin/users/office/roles",
        "/admin/holidays", "/admin/policies", "/admin/contact-cards", "/admin/audit",
    ];

    /// <summary>Every form of the pages, as its page would send it, with valid values.</summary>
    private static readonly (string Path, Dictionary<string, string> Fields)[] Forms =
    [
        ("/admin/organizations", new() { ["Input.Parent"] = "330799", ["Input.Kind"] = "unit", ["Input.Code"] = "330799-07", ["Input.Name"] = "巡特警大队" }),
        ("/admin/users/new", new() { ["Input.Organization"] = "330799", ["Input.UserName"] = "clerk2", ["Input.DisplayName"] = "接访员二", ["Input.Password"] = "Long-Enough-1", ["Input.Roles"] = "reception" }),
        ("/admin/users?handler=Disable&userName=handler", new()),
        ("/admin/users/handler/password", new() { ["Input.NewPassword"] = "Handed-Over-2026", ["Input.Confirmation"] = "Handed-Over-2026" }),
        ("/admin/users/office/roles", new() { ["Input.Roles"] = "supervisor" }),
        ("/admin/contact-cards", new() { ["code"] = "330799", ["enabled"] = "true", ["phone"] = "0579-82001234" }),
        ("/admin/policies", PolicyForm("330799")),
        ("/admin/holidays?year=2027", new() { ["Input.Days[0].Date"] = "2027-01-01", ["Input.Days[0].IsOffDay"] = "true", ["Input.Days[0].Name"] = "元旦" }),
    ];

    private static Dictionary<string, string> PolicyForm(string organization, string handlingDays = "45")
    {
        var fields = new Dictionary<string, string> { ["Input.Organization"] = organization };
        var clocks = new[] { "intake", "referral-objection", "handling", "review-request", "review-decision", "rereview-request", "rereview-decision", "return-visit", "supervision-response" };
        for (var i = 0; i < clocks.Length; i++)
        {
            fields[$"Input.Rules[{i}].Clock"] = clocks[i];
            fields[$"Input.Rules[{i}].Days"] = clocks[i] == "handling" ? handlingDays : "30";
            fields[$"Input.Rules[{i}].Count"] = "calendar";
            fields[$"Input.Rules[{i}].RollForward"] = "true";
            fields[$"Input.Rules[{i}].WarningLeadDays"] = "3";
        }
        return fields;
    }

    private static readonly string[] Tables = ["organizations", "users", "user_roles", "deadline_policies", "holiday_days", "petitions"];

    private async Task<Dictionary<string, long>> CountsAsync()
    {
        var counts = new Dictionary<string, long>();
        foreach (var table in Tables) counts[table] = await Database.CountAsync(table);
        counts["disabled"] = await Database.CountAsync("users", "disabled = @Disabled", new { Disabled = true });
        foreach (var role in Codes.All<Role>()) counts[role] = await Database.CountAsync("user_roles", "role = @Role", new { Role = role });
        counts["contact cards"] = await Database.CountAsync("organizations", "contact_card = @On OR contact_phone IS NOT NULL", new { On = true });
        return counts;
    }

    private async Task<string?> HashAsync(string userName) =>
        (await Database.QueryAsync<string>("SELECT password_hash FROM users WHERE user_name = @UserName", new { UserName = userName })).SingleOrDefault();

    /// <summary>A browser of its own, signed in as the user (or anonymous), and the antiforgery token of its forms.</summary>
    private async Task<(HttpClient Browser, string Token)> BrowserAsync(string? user, string lang = "zh-CN")
    {
        var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() }) { BaseAddress = Client.BaseAddress };
        var token = FormToken().Match(await browser.GetStringAsync("/login", Ct)).Groups["token"].Value;
        if (user is null) return (browser, token);
        var signedIn = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["userName"] = user, ["password"] = TestData.Password,
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var home = await browser.GetStringAsync($"/?lang={lang}", Ct);
        return (browser, FormToken().Match(home).Groups["token"].Value);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient browser, string token, string path, Dictionary<string, string> fields) =>
        browser.PostAsync(path, new FormUrlEncodedContent(fields.Append(KeyValuePair.Create("__RequestVerificationToken", token))), Ct);

    private static string Where(HttpResponseMessage response) =>
        response.Headers.Location is not { } location ? "" : location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;

    [Fact]
    public async Task Only_administrators_open_the_pages_others_are_sent_to_denied_and_the_anonymous_to_sign_in()
    {
        var before = await CountsAsync();
        var (anonymous, anonymousToken) = await BrowserAsync(null);
        foreach (var page in Pages)
        {
            var response = await anonymous.GetAsync(page, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect && Where(response).StartsWith("/login", StringComparison.Ordinal), $"anonymous {page}: {(int)response.StatusCode} {Where(response)}");
        }
        foreach (var (path, fields) in Forms)
        {
            var response = await PostAsync(anonymous, anonymousToken, path, fields);
            Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.BadRequest && !Where(response).StartsWith("/admin", StringComparison.Ordinal),
                $"anonymous POST {path}: {(int)response.StatusCode} {Where(response)}");
        }

        foreach (var user in new[] { "reception", "office", "handler", "leader", "supervisor" })
        {
            var (browser, token) = await BrowserAsync(user);
            foreach (var page in Pages)
            {
                var response = await browser.GetAsync(page, Ct);
                Assert.True(response.StatusCode == HttpStatusCode.Redirect && Where(response).StartsWith("/denied", StringComparison.Ordinal), $"{user} {page}: {(int)response.StatusCode} {Where(response)}");
            }
            foreach (var (path, fields) in Forms)
            {
                var response = await PostAsync(browser, token, path, fields);
                Assert.True(response.StatusCode == HttpStatusCode.Redirect && Where(response).StartsWith("/denied", StringComparison.Ordinal), $"{user} POST {path}: {(int)response.StatusCode} {Where(response)}");
            }
            Assert.DoesNotContain("href=\"/admin\"", await browser.GetStringAsync("/", Ct), StringComparison.Ordinal); // no link to where they may not go
        }
        Assert.Equal(before, await CountsAsync());
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/login", Ct)).StatusCode);

        var (admin, _) = await BrowserAsync("admin");
        Assert.Contains("href=\"/admin\"", await admin.GetStringAsync("/", Ct), StringComparison.Ordinal);
        foreach (var page in Pages)
        {
            var response = await admin.GetAsync(page, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"admin {page}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task A_county_administrator_reaches_nothing_outside_the_county_by_editing_an_address_or_a_form()
    {
        await TestData.SeedAsync(Api.Services); // the neighbouring county 330798 and its desk reception2, staff at the city and province
        await RegisterAsync(await TokenAsync("reception2"), PetitionBody()); // something of reception2's in the audit log
        var before = await CountsAsync();
        var hash = await HashAsync("reception2");
        var (admin, token) = await BrowserAsync("admin");

        foreach (var page in new[]
                 {
                     "/admin/users/new?organization=330798", "/admin/users/new?organization=330700", "/admin/users/new?organization=330000",
                     "/admin/users/reception2/password", "/admin/users/city/password", "/admin/users/province-admin/password", "/admin/users/nobody/password",
                     "/admin/users/reception2/roles", "/admin/users/city/roles", "/admin/users/nobody/roles",
                 })
        {
            var response = await admin.GetAsync(page, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{page}: {(int)response.StatusCode}");
        }
        var refused = new (string Path, Dictionary<string, string> Fields, HttpStatusCode Status)[]
        {
            ("/admin/organizations", new() { ["Input.Parent"] = "330798", ["Input.Kind"] = "unit", ["Input.Code"] = "330798-09", ["Input.Name"] = "越权派出所" }, HttpStatusCode.NotFound),
            ("/admin/organizations", new() { ["Input.Parent"] = "330700", ["Input.Kind"] = "county", ["Input.Code"] = "330797", ["Input.Name"] = "越权县局" }, HttpStatusCode.NotFound),
            ("/admin/users/new", new() { ["Input.Organization"] = "330798", ["Input.UserName"] = "intruder", ["Input.DisplayName"] = "越权", ["Input.Password"] = "Long-Enough-1", ["Input.Roles"] = "office" }, HttpStatusCode.NotFound),
            ("/admin/users/new", new() { ["Input.Organization"] = "330000", ["Input.UserName"] = "intruder", ["Input.DisplayName"] = "越权", ["Input.Password"] = "Long-Enough-1", ["Input.Roles"] = "admin" }, HttpStatusCode.NotFound),
            ("/admin/users?handler=Disable&userName=reception2", new(), HttpStatusCode.NotFound),
            ("/admin/users?handler=Disable&userName=province-admin", new(), HttpStatusCode.NotFound),
            ("/admin/users/reception2/password", new() { ["Input.NewPassword"] = "Taken-Over-2026", ["Input.Confirmation"] = "Taken-Over-2026" }, HttpStatusCode.NotFound),
            ("/admin/users/reception2/roles", new() { ["Input.Roles"] = "admin" }, HttpStatusCode.NotFound),
            ("/admin/users/city/roles", new() { ["Input.Roles"] = "reception" }, HttpStatusCode.NotFound),
            ("/admin/contact-cards", new() { ["code"] = "330798", ["enabled"] = "true", ["phone"] = "0579-83000000" }, HttpStatusCode.NotFound),
            ("/admin/policies", PolicyForm("330798"), HttpStatusCode.NotFound),
            ("/admin/policies", PolicyForm("330700"), HttpStatusCode.NotFound),
            // National: only the root of the tree changes it.
            ("/admin/holidays?year=2027", new() { ["Input.Days[0].Date"] = "2027-01-01", ["Input.Days[0].IsOffDay"] = "true", ["Input.Days[0].Name"] = "元旦" }, HttpStatusCode.Forbidden),
        };
        foreach (var (path, fields, status) in refused)
        {
            var response = await PostAsync(admin, token, path, fields);
            Assert.True(response.StatusCode == status, $"POST {path} {string.Join("&", fields.Select(f => $"{f.Key}={f.Value}"))}: {(int)response.StatusCode}");
        }

        Assert.Equal(before, await CountsAsync());
        Assert.Equal(hash, await HashAsync("reception2"));
        foreach (var page in new[] { "/admin/organizations", "/admin/users", "/admin/contact-cards", "/admin/policies", "/admin/audit", "/admin/audit?user=reception2", "/admin/users/new" })
        {
            var html = await admin.GetStringAsync(page, Ct);
            foreach (var marker in new[] { "330798", "reception2", "邻县", "city-office", "province-admin", "市局信访办" })
                Assert.False(html.Contains(marker, StringComparison.Ordinal), $"{page} shows '{marker}'");
        }
    }

    [Fact]
    public async Task Refused_forms_keep_their_messages_beside_the_fields_in_chinese_and_nothing_is_saved()
    {
        var (admin, token) = await BrowserAsync("admin");
        var before = await CountsAsync();
        var hash = await HashAsync("handler");

        async Task<string> RefusedAsync(string path, Dictionary<string, string> fields)
        {
            var response = await PostAsync(admin, token, path, fields);
            var html = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST {path}: {(int)response.StatusCode} {Where(response)}");
            return html;
        }

        var noCode = await RefusedAsync("/admin/organizations", new() { ["Input.Parent"] = "330799", ["Input.Kind"] = "unit", ["Input.Code"] = "", ["Input.Name"] = "巡特警大队" });
        Assert.Matches(FieldMessage("Input.Code", "[^<]*\\p{IsCJKUnifiedIdeographs}"), noCode);
        Assert.Contains("value=\"巡特警大队\"", noCode, StringComparison.Ordinal); // what was typed stays

        var takenCode = await RefusedAsync("/admin/organizations", new() { ["Input.Parent"] = "330799", ["Input.Kind"] = "unit", ["Input.Code"] = "330799-01", ["Input.Name"] = "重复" });
        Assert.Matches(FieldMessage("Input.Code", "该代码已被使用"), takenCode);

        var misfit = await RefusedAsync("/admin/users/new", new() { ["Input.Organization"] = "330799-01", ["Input.UserName"] = "desk9", ["Input.DisplayName"] = "派出所接访", ["Input.Password"] = "Long-Enough-1", ["Input.Roles"] = "reception" });
        Assert.Contains("data-error-for=\"roles\">角色与机构层级不符", misfit, StringComparison.Ordinal);
        Assert.DoesNotContain("Long-Enough-1", misfit, StringComparison.Ordinal); // a password is never sent back
        var offered = Regex.Matches(misfit, "name=\"Input.Roles\" value=\"(?<role>[a-z]+)\"").Select(m => m.Groups["role"].Value);
        Assert.Equal(["handler"], offered); // a unit's users are handlers

        var takenName = await RefusedAsync("/admin/users/new", new() { ["Input.Organization"] = "330799", ["Input.UserName"] = "office", ["Input.DisplayName"] = "重复", ["Input.Password"] = "Long-Enough-1", ["Input.Roles"] = "office" });
        Assert.Matches(FieldMessage("Input.UserName", "该用户名已被使用"), takenName);
        var badName = await RefusedAsync("/admin/users/new", new() { ["Input.Organization"] = "330799", ["Input.UserName"] = "<script>", ["Input.DisplayName"] = "", ["Input.Password"] = "short", ["Input.Roles"] = "king" });
        foreach (var field in new[] { "Input.UserName", "Input.DisplayName", "Input.Password" })
            Assert.Matches(FieldMessage(field, "[^<]*\\p{IsCJKUnifiedIdeographs}"), badName);
        Assert.Contains("data-error-for=\"roles\">请从列表中选择", badName, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", badName, StringComparison.Ordinal);

        var differ = await RefusedAsync("/admin/users/handler/password", new() { ["Input.NewPassword"] = "Handed-Over-2026", ["Input.Confirmation"] = "Handed-Over-2027" });
        Assert.Matches(FieldMessage("Input.Confirmation", "两次输入的密码不一致"), differ);
        var tooShort = await RefusedAsync("/admin/users/handler/password", new() { ["Input.NewPassword"] = "short", ["Input.Confirmation"] = "short" });
        Assert.Matches(FieldMessage("Input.NewPassword", "[^<]*\\p{IsCJKUnifiedIdeographs}"), tooShort);
        var own = await RefusedAsync("/admin/users/admin/password", new() { ["Input.NewPassword"] = "My-Own-Password-1", ["Input.Confirmation"] = "My-Own-Password-1" });
        Assert.Matches(FieldMessage("Input.NewPassword", "管理员不能在此重置自己的密码"), own);
        var ownRoles = await RefusedAsync("/admin/users/admin/roles", new() { ["Input.Roles"] = "supervisor" });
        Assert.Contains("data-error-for=\"roles\">管理员不能修改自己的角色", ownRoles, StringComparison.Ordinal);
        var noRoles = await RefusedAsync("/admin/users/office/roles", new());
        Assert.Matches("data-error-for=\"roles\">[^<]*\\p{IsCJKUnifiedIdeographs}", noRoles);
        var handlerAsOffice = await RefusedAsync("/admin/users/handler/roles", new() { ["Input.Roles"] = "office" }); // a form edited by hand
        Assert.Contains("data-error-for=\"roles\">角色与机构层级不符", handlerAsOffice, StringComparison.Ordinal);
        Assert.Equal(["handler"], Regex.Matches(handlerAsOffice, "name=\"Input.Roles\" value=\"(?<role>[a-z]+)\"").Select(m => m.Groups["role"].Value));
        var ownAccount = await RefusedAsync("/admin/users?handler=Disable&userName=admin", new());
        Assert.Contains("管理员不能停用或启用自己的账户", ownAccount, StringComparison.Ordinal);

        var badPhone = await RefusedAsync("/admin/contact-cards", new() { ["code"] = "330799-01", ["enabled"] = "false", ["phone"] = "12345" });
        Assert.Contains("data-error-for=\"card-330799-01\">电话号码不正确", badPhone, StringComparison.Ordinal);
        var unitCard = await RefusedAsync("/admin/contact-cards", new() { ["code"] = "330799-01", ["enabled"] = "true", ["phone"] = "" });
        Assert.Contains("data-error-for=\"card-330799-01\">是否公开联系卡由信访机关决定", unitCard, StringComparison.Ordinal);

        var notANumber = await RefusedAsync("/admin/policies", PolicyForm("330799", handlingDays: "六十"));
        Assert.Matches(FieldMessage("Input.Rules[2].Days", "请填写整数"), notANumber);
        var outOfRange = await RefusedAsync("/admin/policies", PolicyForm("330799", handlingDays: "0"));
        Assert.Matches(FieldMessage("Input.Rules[2].Days", "[^<]*\\p{IsCJKUnifiedIdeographs}"), outOfRange);
        var aUnit = await RefusedAsync("/admin/policies", PolicyForm("330799-01"));
        Assert.Contains("class=\"error\" role=\"alert\"", aUnit, StringComparison.Ordinal);

        var badDates = await admin.GetStringAsync("/admin/audit?from=2026-02-30&to=yesterday", Ct);
        Assert.Matches(FieldMessage("From", "请填写正确的日期"), badDates);
        Assert.Matches(FieldMessage("To", "请填写正确的日期"), badDates);

        Assert.Equal(before, await CountsAsync());
        Assert.Equal(hash, await HashAsync("handler"));
    }

    [Fact]
    public async Task The_root_administrator_keeps_the_holiday_table_with_messages_beside_the_rows()
    {
        var (root, token) = await BrowserAsync(TestData.ProvinceAdmin);
        var before = await Database.CountAsync("holiday_days");

        var form = await root.GetStringAsync("/admin/holidays?year=2026", Ct);
        Assert.Contains("name=\"Input.Days[0].Date\" value=\"2026-01-01\"", form, StringComparison.Ordinal);
        var refused = await PostAsync(root, token, "/admin/holidays?year=2027", new()
        {
            ["Input.Days[0].Date"] = "2027-01-01", ["Input.Days[0].IsOffDay"] = "true", ["Input.Days[0].Name"] = "元旦",
            ["Input.Days[1].Date"] = "", ["Input.Days[1].Name"] = "空行",
            ["Input.Days[2].Date"] = "2027-01-05", ["Input.Days[2].IsOffDay"] = "false", ["Input.Days[2].Name"] = "调休", // a Tuesday
            ["Input.Days[3].Date"] = "2027-02-30", ["Input.Days[3].Name"] = "不存在",
            ["Input.Days[4].Date"] = "2027-02-11", ["Input.Days[4].Name"] = "",
        });
        var html = await refused.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("data-error-for=\"day-3-date\">请填写正确的日期", html, StringComparison.Ordinal);
        Assert.Equal(before, await Database.CountAsync("holiday_days"));

        var fixedDates = await PostAsync(root, token, "/admin/holidays?year=2027", new()
        {
            ["Input.Days[0].Date"] = "2027-01-01", ["Input.Days[0].IsOffDay"] = "true", ["Input.Days[0].Name"] = "元旦",
            ["Input.Days[1].Date"] = "", ["Input.Days[1].Name"] = "",
            ["Input.Days[2].Date"] = "2027-01-05", ["Input.Days[2].IsOffDay"] = "false", ["Input.Days[2].Name"] = "调休",
            ["Input.Days[3].Date"] = "", ["Input.Days[3].Name"] = "",
            ["Input.Days[4].Date"] = "2027-02-11", ["Input.Days[4].Name"] = "",
        });
        var messages = await fixedDates.Content.ReadAsStringAsync(Ct);
        Assert.Contains("data-error-for=\"day-2-date\">", messages, StringComparison.Ordinal); // a make-up working day is a weekend day
        Assert.Contains("data-error-for=\"day-4-name\">", messages, StringComparison.Ordinal);
        Assert.Equal(before, await Database.CountAsync("holiday_days"));

        var published = await PostAsync(root, token, "/admin/holidays?year=2027", new()
        {
            ["Input.Days[0].Date"] = "2027-01-01", ["Input.Days[0].IsOffDay"] = "true", ["Input.Days[0].Name"] = "元旦",
            ["Input.Days[1].Date"] = "2027-01-02", ["Input.Days[1].IsOffDay"] = "false", ["Input.Days[1].Name"] = "元旦调休",
        });
        Assert.Equal((HttpStatusCode.Redirect, "/admin/holidays?year=2027"), (published.StatusCode, Where(published)));
        Assert.Equal(before + 2, await Database.CountAsync("holiday_days"));
        Assert.Contains("已发布 2027 年节假日安排", await root.GetStringAsync("/admin/holidays?year=2027", Ct), StringComparison.Ordinal);

        // A county's administrator reads the table, with no form to change it.
        var (county, _) = await BrowserAsync("admin");
        var read = await county.GetStringAsync("/admin/holidays?year=2027", Ct);
        Assert.Contains("元旦调休", read, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"Input.Days[0].Date\"", read, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_audit_log_filters_by_user_case_and_dates_a_page_at_a_time()
    {
        var reception = await TokenAsync("reception");
        var caseNumbers = new List<string>();
        for (var i = 0; i < 3; i++) caseNumbers.Add((await JsonAsync(await RegisterAsync(reception, PetitionBody()))).GetProperty("caseNumber").GetString()!);
        for (var i = 0; i < 60; i++) await TokenAsync("office"); // sixty sign-ins
        var (admin, _) = await BrowserAsync("admin");

        var byCase = await admin.GetStringAsync($"/admin/audit?caseNumber={caseNumbers[1]}", Ct);
        var byUser = await admin.GetStringAsync("/admin/audit?user=office", Ct);
        var older = Regex.Match(byUser, "href=\"(?<href>/admin/audit\\?[^\"]+)\" data-testid=\"older\"").Groups["href"].Value.Replace("&amp;", "&", StringComparison.Ordinal);
        var secondPage = await admin.GetStringAsync(older, Ct);
        var tomorrow = await admin.GetStringAsync("/admin/audit?from=2026-11-21", Ct);
        var today = await admin.GetStringAsync("/admin/audit?from=2026-11-20&to=2026-11-20&user=reception", Ct);

        Assert.Contains(caseNumbers[1], byCase, StringComparison.Ordinal);
        Assert.DoesNotContain(caseNumbers[0], byCase, StringComparison.Ordinal);
        Assert.Equal(50, Rows().Matches(byUser).Count);
        Assert.Contains("before=", older, StringComparison.Ordinal);
        Assert.Equal(10, Rows().Matches(secondPage).Count);
        Assert.Empty(Rows().Matches(tomorrow));
        Assert.Equal(4, Rows().Matches(today).Count); // a sign-in and three registrations
    }

    private static Regex FieldMessage(string field, string text) =>
        new($"data-valmsg-for=\"{Regex.Escape(field)}\"[^>]*>{text}");

    [GeneratedRegex("<tr data-id=\"\\d+\">")]
    private static partial Regex Rows();
}
