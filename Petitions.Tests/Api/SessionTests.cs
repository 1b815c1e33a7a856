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
        Assert.Equal("/denied?ReturnUrl=%2Fsupervision", board.Headers.Location?.OriginalString); // a path of this site, never an address from the Host header
        var denied = await Browser.GetAsync(board.Headers.Location, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains("无权访问", await denied.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sign_in_page_is_in_the_sites_layout_and_language_and_its_switch_keeps_where_sign_in_leads()
    {
        var failed = await (await Browser.GetAsync("/login?failed=1&returnUrl=%2F", Ct)).Content.ReadAsStringAsync(Ct);
        var chinese = await (await Browser.GetAsync("/login?ReturnUrl=%2Fcases%3Fqueue%3Dtriage", Ct)).Content.ReadAsStringAsync(Ct);
        var english = await (await Browser.GetAsync("/login?ReturnUrl=%2Fcases%3Fqueue%3Dtriage&lang=en", Ct)).Content.ReadAsStringAsync(Ct);

        Assert.Contains("href=\"/site.css\"", chinese, StringComparison.Ordinal);
        Assert.Contains("<label for=\"userName\">用户名</label>", chinese, StringComparison.Ordinal);
        Assert.DoesNotContain("User name", chinese, StringComparison.Ordinal);
        Assert.Contains("name=\"returnUrl\" value=\"/cases?queue=triage\"", chinese, StringComparison.Ordinal);
        Assert.Contains("href=\"?returnUrl=%2Fcases%3Fqueue%3Dtriage&amp;lang=en\"", chinese, StringComparison.Ordinal);
        Assert.Contains("<label for=\"userName\">User name</label>", english, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\">", english, StringComparison.Ordinal);
        Assert.DoesNotContain("用户名", english, StringComparison.Ordinal);
        Assert.Contains("用户名或密码错误", failed, StringComparison.Ordinal);
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

    /// <summary>Where a sign-in may lead, as the form sends it (decoded): to a path of this site, else home.</summary>
    public static TheoryData<string, string> ReturnUrls() => new()
    {
        { "/\t/evil.example", "/" },
        { "\t/evil.example", "/" },
        { "/\r\n/evil.example", "/" },
        { "/x\r\nSet-Cookie: stolen=1", "/" },
        { "/x\u0001", "/" },
        { "/x\u007f", "/" },
        { "\\\\evil.example", "/" },
        { "/\\evil.example", "/" },
        { "/cases\\..\\x", "/" },
        { "//evil.example", "/" },
        { "///evil.example", "/" },
        { "https://evil.example/", "/" },
        { "javascript:alert(1)", "/" },
        { "", "/" },
        { "/%2F/evil.example", "/%2F/evil.example" }, // a path here: a browser does not read %2F as a slash
        { "/cases?text=张三", "/cases?text=%E5%BC%A0%E4%B8%89" },
        { "/案件\ud800", "/%E6%A1%88%E4%BB%B6%EF%BF%BD" }, // an unpaired surrogate is U+FFFD
        { "/\u0085\u2028x", "/%C2%85%E2%80%A8x" },
        { "／／evil.example", "/" }, // full-width solidi are not slashes
        { "/supervision?sort=unit", "/supervision?sort=unit" },
    };

    [Theory]
    [MemberData(nameof(ReturnUrls))]
    public async Task Signing_in_leads_only_to_a_path_of_this_site(string returnUrl, string expected)
    {
        var token = await FormTokenAsync();
        var form = await Browser.GetAsync($"/login?returnUrl={Uri.EscapeDataString(returnUrl.Replace("\ud800", "", StringComparison.Ordinal))}", Ct);

        var signedIn = await PostFormAsync("/login", new() { ["__RequestVerificationToken"] = token, ["userName"] = "office", ["password"] = TestData.Password, ["returnUrl"] = returnUrl });
        var failed = await PostFormAsync("/login", new() { ["__RequestVerificationToken"] = token, ["userName"] = "office", ["password"] = "wrong", ["returnUrl"] = returnUrl });

        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Equal((HttpStatusCode.Redirect, expected), (signedIn.StatusCode, signedIn.Headers.Location?.OriginalString));
        Assert.Equal($"/login?failed=1&returnUrl={Uri.EscapeDataString(expected)}", failed.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task No_redirect_is_built_from_the_Host_or_forwarded_headers()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/cases?queue=triage");
        request.Headers.Host = "evil.example";
        request.Headers.Add("X-Forwarded-Host", "evil.example");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Prefix", "//evil.example");
        var toSignIn = await Browser.SendAsync(request, Ct);

        var token = await FormTokenAsync();
        using var signIn = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["userName"] = "handler", ["password"] = TestData.Password }),
        };
        signIn.Headers.Host = "evil.example";
        var signedIn = await Browser.SendAsync(signIn, Ct);
        using var denied = new HttpRequestMessage(HttpMethod.Get, "/supervision");
        denied.Headers.Host = "evil.example";
        var toDenied = await Browser.SendAsync(denied, Ct);

        Assert.Equal("/login?ReturnUrl=%2Fcases%3Fqueue%3Dtriage", toSignIn.Headers.Location?.OriginalString);
        Assert.Equal("/", signedIn.Headers.Location?.OriginalString);
        Assert.Equal("/denied?ReturnUrl=%2Fsupervision", toDenied.Headers.Location?.OriginalString);
    }
}
