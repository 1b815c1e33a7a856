using System.Net;
using System.Net.Http.Json;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Api;

/// <summary>
/// The per-address limits (Hosting/RateLimits.cs) count the requests that do their work: a submission or a sign-in,
/// not a look at its form. Past one, an API caller gets a 429 problem with Retry-After and a person at the sign-in or
/// submission form gets the form back with a message; a refused request changes nothing.
/// </summary>
public sealed class RateLimitTests(DatabaseServers servers) : ApiTest(StorageProvider.Sqlite, servers)
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["RateLimits:SubmissionsPerHour"] = "2",
        ["RateLimits:SignInsPerMinute"] = "3",
    };

    [Fact]
    public async Task Opening_the_submission_form_uses_up_none_of_the_addresss_submissions()
    {
        var forms = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++) forms.Add((await Browser.GetAsync("/submit", Ct)).StatusCode);
        var petition = OnlinePetitionBody();
        var submissions = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++) submissions.Add((await Client.PostAsJsonAsync("/api/public/petitions", petition, Ct)).StatusCode);

        Assert.All(forms, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], submissions);
        Assert.Equal(2, await Database.CountAsync("petitions"));
    }

    [Fact]
    public async Task The_submission_form_past_the_limit_comes_back_saying_so_and_where_else_to_go()
    {
        var form = await FormTokenAsync("/submit");
        var petition = OnlinePetitionBody();
        for (var i = 0; i < 2; i++) (await Client.PostAsJsonAsync("/api/public/petitions", petition, Ct)).EnsureSuccessStatusCode();

        var refused = await Browser.PostAsync("/submit", new MultipartFormDataContent
        {
            { new StringContent(form), "__RequestVerificationToken" },
            { new StringContent("330799"), "Input.Bureau" },
            { new StringContent("一个人的信访"), "Input.Subject" },
        }, Ct);
        var page = await (await Browser.GetAsync(refused.Headers.Location, Ct)).Content.ReadAsStringAsync(Ct);

        Assert.Equal((HttpStatusCode.Redirect, "/submit?limited=1"), (refused.StatusCode, refused.Headers.Location?.OriginalString));
        Assert.Contains("提交的网上信访已达上限", page, StringComparison.Ordinal);
        Assert.Contains("当面反映、来信反映", page, StringComparison.Ordinal);
        Assert.Equal(2, await Database.CountAsync("petitions"));
    }

    [Fact]
    public async Task Past_the_sign_in_limit_an_address_waits_even_with_the_right_password_and_the_refusal_counts_nothing()
    {
        Task<HttpResponseMessage> Token(string userName, string password) =>
            Client.PostAsJsonAsync("/api/auth/token", new { userName, password }, Ct);

        var wrong = new List<HttpStatusCode>();
        foreach (var user in new[] { "office", "handler", "leader" }) wrong.Add((await Token(user, "not-the-password")).StatusCode);
        var refused = await Token("reception", TestData.Password);
        var audited = await Database.CountAsync("audit_log", "action = 'sign-in'");

        Assert.All(wrong, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.InRange(int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal(3, audited); // the refused attempt checked no password and was never a sign-in
        Assert.Equal(0, await Database.CountAsync("users", "user_name = 'reception' AND failed_logins > 0"));
    }

    [Fact]
    public async Task The_sign_in_form_and_the_token_share_the_limit_and_the_form_comes_back_saying_so()
    {
        var form = await FormTokenAsync(); // looking at the form counts for nothing
        for (var i = 0; i < 3; i++) await Client.PostAsJsonAsync("/api/auth/token", new { userName = "office", password = "not-the-password" }, Ct);

        var refused = await PostFormAsync("/login", new() { ["__RequestVerificationToken"] = form, ["userName"] = "office", ["password"] = TestData.Password, ["returnUrl"] = "/cases" });
        var page = await Browser.GetAsync(refused.Headers.Location, Ct);
        var english = await (await Browser.GetAsync("/login?limited=1&lang=en", Ct)).Content.ReadAsStringAsync(Ct);

        Assert.Equal((HttpStatusCode.Redirect, "/login?limited=1"), (refused.StatusCode, refused.Headers.Location?.OriginalString));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("登录尝试过于频繁", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains("Too many sign-in attempts from your address", english, StringComparison.Ordinal);
        var home = await Browser.GetAsync("/", Ct); // no cookie came with the refusal: the site still asks for sign-in
        Assert.StartsWith("/login", home.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }
}
