using System.Net;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Api;

/// <summary>
/// What a person at the pages gets for an error: the status page in their language, keeping the status, saying what to
/// do and nothing of the petition asked for; programs still get problem documents. A browser is told apart by its
/// <c>Accept: text/html</c> (docs/decisions/0026).
/// </summary>
public sealed class StatusPageTests(DatabaseServers servers) : ApiTest(StorageProvider.Sqlite, servers)
{
    private const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    [Theory]
    [InlineData("zh-CN", "<h1>未找到</h1>", "返回工作台")]
    [InlineData("en", "<h1>Not found</h1>", "Back to the home page")]
    public async Task An_address_that_is_not_there_is_the_not_found_page_in_the_persons_language(string lang, string title, string home)
    {
        var answer = await PageAsync($"/no-such-page?lang={lang}");

        var page = await AssertPageAsync(answer, HttpStatusCode.NotFound, title);
        Assert.Contains($"<a href=\"/\">{home}</a>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("no-such-page", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_petitioner_on_the_public_site_is_led_back_to_it_not_to_the_staff_sign_in()
    {
        var page = await AssertPageAsync(await PageAsync("/progress/XF-330799-2026-000001"), HttpStatusCode.NotFound, "<h1>未找到</h1>");

        Assert.Contains("<a href=\"/progress\">", page, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/submit\">", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<a href=\"/\">", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/status/404")]
    [InlineData("/status/500")]
    [InlineData("/status/200")]
    [InlineData("/status/99999999999999999999")]
    [InlineData("/status/-1")]
    public async Task The_status_page_asked_for_directly_is_not_found(string path)
    {
        // Else anyone could show a "something went wrong" page, with a 200, under this site's name.
        await AssertPageAsync(await PageAsync(path), HttpStatusCode.NotFound, "<h1>未找到</h1>");
    }

    /// <summary>Every caller, whoever they are: anonymous, another county's desk, the handler of the unit an accusation
    /// accuses (a unit below the county), the county's administrator (one level below the city) and the province's.</summary>
    [Theory]
    [InlineData(null)]
    [InlineData("reception2")]
    [InlineData("handler")]
    [InlineData("admin")]
    [InlineData(TestData.ProvinceAdmin)]
    public async Task No_caller_opens_the_status_page_by_its_address_nor_learns_of_an_accusation_from_it(string? user)
    {
        await TestData.SeedAsync(Api.Services);
        var accusation = await NewPetitionAsync(body =>
        {
            body["category"] = "accusation";
            body["involvedUnit"] = "城关派出所";
            body["involvedUnitCode"] = "330799-01";
        });
        if (user is not null) await SignInAsync(user);

        // Its two handlers, GET and POST (a POST without an antiforgery token), with codes and values a hostile caller sends.
        foreach (var code in new[] { "500", "503", "0001-01-01", "9999-12-31", "99999999999999999999", "%01", "%0d%0a", "404%00" })
        {
            var asked = await PageAsync($"/status/{code}");
            Assert.True(asked.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"GET /status/{code}: {asked.StatusCode}");
            var text = await asked.Content.ReadAsStringAsync(Ct);
            Assert.DoesNotContain("<h1>系统出错</h1>", text, StringComparison.Ordinal); // no page of a 5xx under the site's name
            Assert.DoesNotContain("<h1>系统繁忙</h1>", text, StringComparison.Ordinal);
            using var post = new HttpRequestMessage(HttpMethod.Post, $"/status/{code}") { Content = new FormUrlEncodedContent([]) };
            post.Headers.Accept.ParseAdd(BrowserAccept);
            var posted = await Browser.SendAsync(post, Ct);
            Assert.True(posted.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"POST /status/{code}: {posted.StatusCode}");
        }

        // The accusation's address as each of them asks for it: a sign-in, the roles' refusal or the not-found page,
        // and never a word of it.
        var answer = await PageAsync($"/cases/{accusation}");
        Assert.True(answer.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Redirect, $"{user}: {answer.StatusCode}");
        var page = await answer.Content.ReadAsStringAsync(Ct);
        foreach (var secret in new[] { accusation, "城关派出所", PetitionBody()["subject"]!.ToString()! })
            Assert.DoesNotContain(secret, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_countys_case_is_the_not_found_page_and_names_nothing_of_it()
    {
        await TestData.SeedAsync(Api.Services); // the neighbouring county and its desk
        var theirs = await NewPetitionAsync(registrar: "reception2");
        await SignInAsync("office");

        var page = await AssertPageAsync(await PageAsync($"/cases/{theirs}"), HttpStatusCode.NotFound, "<h1>未找到</h1>");

        Assert.DoesNotContain(theirs, page, StringComparison.Ordinal);
        Assert.DoesNotContain("within your reach", page, StringComparison.Ordinal); // the exception's own words are for programs
        Assert.Contains("<span>office</span>", page, StringComparison.Ordinal); // the site's links stay
    }

    [Fact]
    public async Task A_form_sent_without_its_token_is_the_page_saying_to_reload_and_changes_nothing()
    {
        var caseNumber = await NewPetitionAsync();
        await SignInAsync("office");

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/cases/{caseNumber}?handler=Act&action=accept")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["unit"] = "城关派出所" }),
        };
        request.Headers.Accept.ParseAdd(BrowserAccept);
        var answer = await Browser.SendAsync(request, Ct);

        var page = await AssertPageAsync(answer, HttpStatusCode.BadRequest, "<h1>请求无法处理</h1>");
        Assert.Contains("请刷新页面后重新提交", page, StringComparison.Ordinal);
        Assert.Equal(1, await Database.CountAsync("petition_events"));
    }

    [Theory]
    [InlineData("/cases?x=%00")]
    [InlineData("/no-such-page?lang=%00")]
    [InlineData("/no-such-page?lang=%0d%0aSet-Cookie:%20a=b")]
    public async Task A_hostile_query_is_a_page_too_never_a_500(string path)
    {
        var answer = await PageAsync(path);

        Assert.True(answer.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{path}: {answer.StatusCode}");
        Assert.Equal("text/html", answer.Content.Headers.ContentType?.MediaType);
        Assert.False(answer.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("a=", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("text/html;;;q=x")]
    [InlineData("text/html, */*;q=abc")]
    [InlineData(",,,")]
    [InlineData("text/html\u0001")]
    public async Task A_malformed_Accept_header_is_never_a_500(string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/no-such-page");
        Assert.True(request.Headers.TryAddWithoutValidation("Accept", accept));

        var answer = await Browser.SendAsync(request, Ct);

        Assert.True(answer.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{accept}: {answer.StatusCode}");
    }

    [Fact]
    public async Task Programs_still_get_problem_documents()
    {
        var api = await PageAsync("/api/no-such-thing"); // the API, even to a browser
        var plain = await Browser.GetAsync("/no-such-page", Ct); // no Accept: not a browser
        var token = await TokenAsync("office");
        var missing = await SendAsync(HttpMethod.Get, "/api/petitions/XF-330799-2026-999999", token);

        foreach (var answer in new[] { api, plain, missing })
        {
            Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
            Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        }
        Assert.Contains("XF-330799-2026-999999", await missing.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal); // its own detail
    }

    private async Task<HttpResponseMessage> PageAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(BrowserAccept);
        return await Browser.SendAsync(request, Ct);
    }

    /// <summary>The answer is the status page with <paramref name="status"/> and <paramref name="title"/>; its text.</summary>
    private static async Task<string> AssertPageAsync(HttpResponseMessage answer, HttpStatusCode status, string title)
    {
        var page = await answer.Content.ReadAsStringAsync(Ct);
        Assert.Equal(status, answer.StatusCode);
        Assert.Equal("text/html", answer.Content.Headers.ContentType?.MediaType);
        Assert.Contains(title, page, StringComparison.Ordinal);
        return page;
    }
}
