using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Api;

/// <summary>
/// Sessions end when they should: a password change, a disable or enable, an administrator's password reset or change
/// of roles and a sign-out end the user's bearer tokens
/// and the pages' cookie (copies included), on the instance that ended them at once and on another within
/// <c>Auth:SessionCheckInterval</c>; every refused sign-in gets one answer; wrong current passwords count toward the
/// lockout.
/// </summary>
public abstract class SessionEndingTests(StorageProvider provider, DatabaseServers servers) : ApiTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : SessionEndingTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : SessionEndingTests(StorageProvider.Postgres, servers);

    /// <summary>A browser signed in through the form, and the value of its pages' cookie (what a thief would copy).</summary>
    private sealed record Session(HttpClient Browser, string Cookie) : IDisposable
    {
        public void Dispose() => Browser.Dispose();
    }

    private async Task<Session> SignInWithFormAsync(string userName, HttpClient? on = null)
    {
        var baseAddress = (on ?? Client).BaseAddress!;
        var jar = new CookieContainer();
        var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = jar }) { BaseAddress = baseAddress };
        var token = FormToken().Match(await browser.GetStringAsync("/login", Ct)).Groups["token"].Value;
        var signedIn = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["userName"] = userName, ["password"] = TestData.Password,
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return new Session(browser, jar.GetCookies(baseAddress)["petitions"]!.Value);
    }

    /// <summary>A page asked for with nothing but a copy of the cookie: 200 while the session lasts, else the sign-in page.</summary>
    private async Task<HttpStatusCode> WithCopiedCookieAsync(string cookie, HttpClient? on = null)
    {
        using var thief = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = (on ?? Client).BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/cases");
        request.Headers.Add("Cookie", $"petitions={cookie}");
        return (await thief.SendAsync(request, Ct)).StatusCode;
    }

    private async Task<HttpStatusCode> WithTokenAsync(string token, HttpClient? on = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/petitions");
        request.Headers.Authorization = new("Bearer", token);
        return (await (on ?? Client).SendAsync(request, Ct)).StatusCode;
    }

    private Task<HttpResponseMessage> ChangePasswordAsync(string token, string current, string next) =>
        SendAsync(HttpMethod.Post, "/api/auth/password", token, JsonContent.Create(new { currentPassword = current, newPassword = next }));

    private Task<HttpResponseMessage> IssueTokenAsync(string userName, string password) =>
        Client.PostAsJsonAsync("/api/auth/token", new { userName, password }, Ct);

    [Fact]
    public async Task A_password_change_ends_every_token_and_cookie_of_the_user_and_no_one_elses()
    {
        var token = await TokenAsync("handler");
        var otherToken = await TokenAsync("handler");
        using var session = await SignInWithFormAsync("handler");
        var someoneElse = await TokenAsync("office");
        Assert.Equal(HttpStatusCode.OK, await WithCopiedCookieAsync(session.Cookie));

        var changed = await ChangePasswordAsync(token, TestData.Password, "A-new-password-1");

        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await WithTokenAsync(token));
        Assert.Equal(HttpStatusCode.Unauthorized, await WithTokenAsync(otherToken));
        Assert.Equal(HttpStatusCode.Redirect, await WithCopiedCookieAsync(session.Cookie));
        Assert.Equal(HttpStatusCode.Redirect, (await session.Browser.GetAsync("/cases", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await WithTokenAsync(someoneElse));
        var fresh = await IssueTokenAsync("handler", "A-new-password-1");
        Assert.Equal(HttpStatusCode.OK, await WithTokenAsync((await JsonAsync(fresh)).GetProperty("accessToken").GetString()!));
    }

    [Fact]
    public async Task Disabling_ends_the_users_sessions_and_enabling_does_not_bring_them_back()
    {
        var token = await TokenAsync("handler");
        using var session = await SignInWithFormAsync("handler");
        var admin = await TokenAsync("admin");

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/api/admin/users/handler/disable", admin)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await WithTokenAsync(token));
        Assert.Equal(HttpStatusCode.Redirect, await WithCopiedCookieAsync(session.Cookie));
        Assert.Equal(HttpStatusCode.Unauthorized, (await IssueTokenAsync("handler", TestData.Password)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/api/admin/users/handler/enable", admin)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await WithTokenAsync(token));
        Assert.Equal(HttpStatusCode.Redirect, await WithCopiedCookieAsync(session.Cookie));
        Assert.Equal(HttpStatusCode.OK, await WithTokenAsync(await TokenAsync("handler")));
    }

    [Theory]
    [InlineData("password", "{\"newPassword\":\"Handed-Over-2026\"}", "POST")]
    [InlineData("roles", "{\"roles\":[\"handler\"]}", "PUT")]
    public async Task A_password_reset_or_a_change_of_roles_by_an_administrator_ends_the_users_sessions(string what, string body, string method)
    {
        var token = await TokenAsync("handler");
        using var session = await SignInWithFormAsync("handler");
        var someoneElse = await TokenAsync("office");
        var admin = await TokenAsync("admin");

        var changed = await SendAsync(new HttpMethod(method), $"/api/admin/users/handler/{what}", admin, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await WithTokenAsync(token));
        Assert.Equal(HttpStatusCode.Redirect, await WithCopiedCookieAsync(session.Cookie));
        Assert.Equal(HttpStatusCode.Redirect, (await session.Browser.GetAsync("/cases", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await WithTokenAsync(someoneElse));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/admin/accounts", admin)).StatusCode); // the administrator's go on
    }

    [Fact]
    public async Task Signing_out_ends_a_copied_cookie_and_the_users_tokens()
    {
        using var session = await SignInWithFormAsync("office");
        var token = await TokenAsync("office");
        var home = await session.Browser.GetStringAsync("/", Ct);

        var signedOut = await session.Browser.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = FormToken().Match(home).Groups["token"].Value,
        }), Ct);

        Assert.Equal("/login", signedOut.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, await WithCopiedCookieAsync(session.Cookie));
        Assert.Equal(HttpStatusCode.Unauthorized, await WithTokenAsync(token));
        Assert.Equal(1, await Database.CountAsync("audit_log", "action = 'SignOut' AND outcome = 'ok'"));
    }

    [Fact]
    public async Task A_program_signs_out_through_the_API()
    {
        var token = await TokenAsync("office");
        using var session = await SignInWithFormAsync("office");

        var signedOut = await SendAsync(HttpMethod.Post, "/api/auth/logout", token);

        Assert.Equal(HttpStatusCode.NoContent, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await WithTokenAsync(token));
        Assert.Equal(HttpStatusCode.Redirect, await WithCopiedCookieAsync(session.Cookie));
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Post, "/api/auth/logout", null)).StatusCode);
    }

    [Fact]
    public async Task A_session_ended_on_one_instance_ends_on_another_within_the_check_interval()
    {
        // A second instance of the service on the same database and token keys, with a clock of its own.
        var keys = Directory.CreateTempSubdirectory("petitions-shared-keys-").FullName;
        try
        {
            var shared = new Dictionary<string, string> { ["DataProtection:KeysPath"] = keys };
            await using var first = new ApiFactory(Database, settings: shared);
            await using var second = new ApiFactory(Database, settings: shared);
            using var one = first.CreateClient();
            using var two = second.CreateClient();
            var token = (await JsonAsync(await one.PostAsJsonAsync("/api/auth/token", new { userName = "handler", password = TestData.Password }, Ct)))
                .GetProperty("accessToken").GetString()!;
            Assert.Equal(HttpStatusCode.OK, await WithTokenAsync(token, two)); // the second instance has read the stamp

            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/logout");
            request.Headers.Authorization = new("Bearer", token);
            Assert.Equal(HttpStatusCode.NoContent, (await one.SendAsync(request, Ct)).StatusCode);

            Assert.Equal(HttpStatusCode.Unauthorized, await WithTokenAsync(token, one));
            // The second instance trusts what it read for Auth:SessionCheckInterval (10 s): that is the longest a
            // session ended elsewhere keeps working on it.
            second.Clock.Advance(TimeSpan.FromSeconds(9));
            Assert.Equal(HttpStatusCode.OK, await WithTokenAsync(token, two));
            second.Clock.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(HttpStatusCode.Unauthorized, await WithTokenAsync(token, two));
        }
        finally
        {
            Directory.Delete(keys, recursive: true);
        }
    }

    [Fact]
    public async Task Wrong_locked_disabled_and_unknown_sign_ins_get_one_answer_and_do_the_same_work()
    {
        var admin = await TokenAsync("admin");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/api/admin/users/leader/disable", admin)).StatusCode);
        for (var i = 0; i < 5; i++) await IssueTokenAsync("office", "wrong-password");

        var answers = new Dictionary<string, string>
        {
            ["wrong password"] = await AnswerAsync(await IssueTokenAsync("handler", "wrong-password")),
            ["unknown name"] = await AnswerAsync(await IssueTokenAsync("nobody-at-all", TestData.Password)),
            ["locked, right password"] = await AnswerAsync(await IssueTokenAsync("office", TestData.Password)),
            ["locked, wrong password"] = await AnswerAsync(await IssueTokenAsync("office", "wrong-password")),
            ["disabled, right password"] = await AnswerAsync(await IssueTokenAsync("leader", TestData.Password)),
            ["disabled, wrong password"] = await AnswerAsync(await IssueTokenAsync("leader", "wrong-password")),
        };

        Assert.StartsWith("401 application/problem+json", answers["wrong password"], StringComparison.Ordinal);
        Assert.All(answers, a => Assert.True(a.Value == answers["wrong password"], $"{a.Key}: {a.Value}"));
        // The same work: each refusal of a known user is counted against it (the audit says why, for administrators).
        var failed = await Database.QueryAsync<(string, int)>("SELECT user_name, failed_logins FROM users WHERE user_name IN ('handler', 'office', 'leader') ORDER BY user_name");
        Assert.Equal([("handler", 1), ("leader", 2), ("office", 7)], failed.Select(r => (r.Item1, r.Item2)));
        Assert.Equal(1, await Database.CountAsync("audit_log", "action = 'sign-in' AND outcome = 'disabled'"));
        Assert.Equal(2, await Database.CountAsync("audit_log", "action = 'sign-in' AND outcome = 'locked'"));
    }

    /// <summary>An answer as a client sees it, less the trace id that names the request.</summary>
    private static async Task<string> AnswerAsync(HttpResponseMessage response)
    {
        var body = (await response.Content.ReadFromJsonAsync<Dictionary<string, JsonElement>>(Ct))!;
        body.Remove("traceId");
        return $"{(int)response.StatusCode} {response.Content.Headers.ContentType} {JsonSerializer.Serialize(body.OrderBy(p => p.Key))}";
    }

    [Fact]
    public async Task The_sign_in_forms_refusals_are_one_redirect()
    {
        var admin = await TokenAsync("admin");
        await SendAsync(HttpMethod.Post, "/api/admin/users/leader/disable", admin);
        var token = await FormTokenAsync();

        var locations = new List<string?>();
        foreach (var (user, password) in new[] { ("handler", "wrong"), ("nobody", TestData.Password), ("leader", TestData.Password) })
            locations.Add((await PostFormAsync("/login", new() { ["__RequestVerificationToken"] = token, ["userName"] = user, ["password"] = password, ["returnUrl"] = "/cases" }))
                .Headers.Location?.OriginalString);

        Assert.All(locations, l => Assert.Equal("/login?failed=1&returnUrl=%2Fcases", l));
    }

    [Fact]
    public async Task Wrong_current_passwords_count_toward_the_lockout_and_a_locked_account_keeps_its_password()
    {
        var token = await TokenAsync("handler");

        for (var i = 0; i < 5; i++)
        {
            var wrong = await ChangePasswordAsync(token, $"wrong-password-{i}", "A-new-password-1");
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.True((await JsonAsync(wrong)).GetProperty("errors").TryGetProperty("currentPassword", out _));
        }
        var whileLocked = await ChangePasswordAsync(token, TestData.Password, "A-new-password-1");

        Assert.Equal(HttpStatusCode.BadRequest, whileLocked.StatusCode);
        Assert.Contains("locked", (await JsonAsync(whileLocked)).GetProperty("errors").GetProperty("currentPassword")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await IssueTokenAsync("handler", TestData.Password)).StatusCode); // locked
        Assert.Equal(HttpStatusCode.Unauthorized, (await IssueTokenAsync("handler", "A-new-password-1")).StatusCode); // not changed
        Assert.Equal(HttpStatusCode.OK, await WithTokenAsync(token)); // a lockout stops guessing; it ends no session

        Api.Clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(HttpStatusCode.NoContent, (await ChangePasswordAsync(token, TestData.Password, "A-new-password-1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await IssueTokenAsync("handler", "A-new-password-1")).StatusCode);
    }
}
