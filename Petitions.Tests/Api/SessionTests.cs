using System.Net;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Api;

public sealed class SessionTests(DatabaseServers servers) : ApiTest(StorageProvider.Sqlite, servers)
{
    [Fact]
    public async Task A_user_signs_in_with_the_form_and_the_cookie_opens_the_pages_but_not_the_API()
    {
        var token = await FormTokenAsync();

        var signedIn = await PostFormAsync("/login", new() { ["__RequestVerificationToken"] = token, ["userName"] = "office", ["password"] = TestData.Password, ["returnUrl"] = "/" });
        var home = await Browser.GetAsync("/", Ct);
        var api = await Browser.GetAsync("/api/petitions", Ct);

        Assert.Equal((HttpStatusCode.Redirect, "/"), (signedIn.StatusCode, signedIn.Headers.Location?.OriginalString));
        Assert.Contains("HttpOnly", string.Join(";", signedIn.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", string.Join(";", signedIn.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("已登录：office", await home.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode); // the JSON API takes bearer tokens only
    }

    [Fact]
    public async Task A_page_outside_the_users_roles_answers_403_with_a_page_that_says_so()
    {
        var token = await FormTokenAsync();
        await PostFormAsync("/login", new() { ["__RequestVerificationToken"] = token, ["userName"] = "handler", ["password"] = TestData.Password, ["returnUrl"] = "/" });

        var board = await Browser.GetAsync("/supervision", Ct);
        Assert.Equal(HttpStatusCode.Redirect, board.StatusCode);
        Assert.StartsWith("/denied", board.Headers.Location?.PathAndQuery ?? board.Headers.Location?.OriginalString, StringComparison.Ordinal);
        var denied = await Browser.GetAsync(board.Headers.Location, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains("无权访问", await denied.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_without_its_antiforgery_token_is_refused()
    {
        await FormTokenAsync();

        var forged = await PostFormAsync("/login", new() { ["userName"] = "office", ["password"] = TestData.Password });

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await Browser.GetAsync("/", Ct)).StatusCode); // still signed out
    }

    [Fact]
    public async Task Wrong_credentials_and_foreign_return_addresses_lead_back_to_the_form()
    {
        var token = await FormTokenAsync();

        var wrong = await PostFormAsync("/login", new() { ["__RequestVerificationToken"] = token, ["userName"] = "office", ["password"] = "nope", ["returnUrl"] = "/" });
        var foreign = await PostFormAsync("/login", new() { ["__RequestVerificationToken"] = token, ["userName"] = "office", ["password"] = TestData.Password, ["returnUrl"] = "https://evil.example/" });

        Assert.StartsWith("/login?failed=1", wrong.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal("/", foreign.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var token = await FormTokenAsync();
        var signedIn = await PostFormAsync("/login", new() { ["__RequestVerificationToken"] = token, ["userName"] = "office", ["password"] = TestData.Password });
        Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect && signedIn.Headers.Location?.OriginalString == "/", $"{signedIn.StatusCode} {signedIn.Headers.Location} {await signedIn.Content.ReadAsStringAsync(Ct)}");
        var home = await Browser.GetStringAsync("/", Ct);

        var signedOut = await PostFormAsync("/logout", new() { ["__RequestVerificationToken"] = FormToken().Match(home).Groups["token"].Value });

        Assert.Equal("/login", signedOut.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await Browser.GetAsync("/", Ct)).StatusCode);
    }
}
