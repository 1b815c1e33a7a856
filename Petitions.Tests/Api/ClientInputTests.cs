using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Api;

/// <summary>
/// What a client sends is never answered with a 5xx: dates at the ends of the calendar on every date filter, cut-short
/// and misplaced multipart bodies, phone numbers in other digits; and every answer, errors and refusals included,
/// carries the security headers.
/// </summary>
public sealed class ClientInputTests(DatabaseServers servers) : ApiTest(StorageProvider.Sqlite, servers)
{
    [Theory]
    [InlineData("/api/petitions?receivedFrom=0001-01-01", "office", "receivedFrom")]
    [InlineData("/api/petitions?receivedTo=9999-12-31", "office", "receivedTo")]
    [InlineData("/api/petitions?receivedFrom=9999-12-31&receivedTo=9999-12-31", "office", "receivedFrom", "receivedTo")]
    [InlineData("/api/petitions?receivedFrom=1899-12-31", "office", "receivedFrom")]
    [InlineData("/api/audit?from=0001-01-01", "admin", "from")]
    [InlineData("/api/audit?to=9999-12-31", "admin", "to")]
    [InlineData("/api/reports/summary?from=0001-01-01&to=9999-12-31", "leader", "from", "to")]
    [InlineData("/api/reports/cases?metric=received&to=9999-12-31", "leader", "to")]
    public async Task Dates_at_the_ends_of_the_calendar_are_a_400_naming_the_field(string path, string user, params string[] fields)
    {
        var response = await SendAsync(HttpMethod.Get, path, await TokenAsync(user));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(fields, (await JsonAsync(response)).GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("/api/petitions?receivedFrom=1900-01-01&receivedTo=2999-12-31", "office")]
    [InlineData("/api/audit?from=1900-01-01&to=2999-12-31", "admin")]
    [InlineData("/api/reports/summary?from=2020-01-01&to=2999-12-31", "leader")]
    public async Task The_first_and_last_dates_of_the_range_are_answered(string path, string user) =>
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, path, await TokenAsync(user))).StatusCode);

    [Theory]
    [InlineData("/reports?from=0001-01-01")]
    [InlineData("/reports?to=9999-12-31")]
    [InlineData("/reports?handler=Csv&from=0001-01-01")]
    [InlineData("/reports/cases?metric=received&from=0001-01-01&to=9999-12-31")]
    [InlineData("/reports/cases?handler=Xlsx&metric=received&to=9999-12-31")]
    [InlineData("/cases?receivedFrom=0001-01-01&receivedTo=9999-12-31&from=0001-01-01&to=9999-12-31")]
    public async Task The_pages_answer_dates_at_the_ends_of_the_calendar_without_an_error(string path)
    {
        await SignInAsync("leader");

        var response = await Browser.GetAsync(path, Ct);

        Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }

    [Theory]
    [InlineData("１３９１２３４５６７８")]
    [InlineData("١٣٩١٢٣٤٥٦٧٨")]
    public async Task Phone_numbers_in_other_digits_are_refused(string phone)
    {
        var body = PetitionBody();
        ((Dictionary<string, object?>)body["petitioner"]!)["phone"] = phone;

        var response = await RegisterAsync(await TokenAsync("reception"), body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["petitioner.phone"], (await JsonAsync(response)).GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal(0, await Database.CountAsync("petitions"));
    }

    /// <summary>A multipart body that stops before its closing boundary.</summary>
    private static ByteArrayContent Truncated()
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("--b\r\nContent-Disposition: form-data; name=\"subject\"\r\n\r\n噪音扰民\r\n--b\r\nContent-Disposition: form-da"));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        return content;
    }

    [Theory]
    [InlineData("POST", "/api/petitions", "reception")]
    [InlineData("POST", "/api/auth/token", null)]
    [InlineData("POST", "/api/public/petitions", null)]
    [InlineData("PUT", "/api/admin/holidays/2027", "admin")]
    [InlineData("GET", "/api/petitions", "office")]
    [InlineData("POST", "/login", null)]
    [InlineData("POST", "/submit", null)]
    [InlineData("POST", "/progress", null)]
    public async Task A_truncated_multipart_body_is_a_400_anywhere(string method, string path, string? user)
    {
        var response = await SendAsync(new HttpMethod(method), path, user is null ? null : await TokenAsync(user), Truncated());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_truncated_multipart_form_on_a_page_with_its_antiforgery_token_is_a_400()
    {
        await SignInAsync("reception");
        var token = await FormTokenAsync("/reception/register");
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(
            $"--b\r\nContent-Disposition: form-data; name=\"__RequestVerificationToken\"\r\n\r\n{token}\r\n--b\r\nContent-Disposition: form-data; name=\"Input.Subject\"\r\n\r\n噪"));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");

        var response = await Browser.PostAsync("/reception/register?handler=Register", content, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await Database.CountAsync("petitions"));
    }

    [Fact]
    public async Task Every_kind_of_answer_carries_the_security_headers()
    {
        var office = await TokenAsync("office");
        await SignInAsync("handler");
        using var plain = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Client.BaseAddress };
        var answers = new Dictionary<string, HttpResponseMessage>
        {
            ["sign-in 401"] = await Client.PostAsJsonAsync("/api/auth/token", new { userName = "office", password = "wrong" }, Ct),
            ["no token 401"] = await plain.GetAsync("/api/petitions", Ct),
            ["validation 400"] = await SendAsync(HttpMethod.Get, "/api/petitions?limit=0", office),
            ["date 400"] = await SendAsync(HttpMethod.Get, "/api/petitions?receivedFrom=0001-01-01", office),
            ["broken JSON 400"] = await SendAsync(HttpMethod.Post, "/api/petitions", office, new StringContent("{", Encoding.UTF8, "application/json")),
            ["multipart 400"] = await SendAsync(HttpMethod.Post, "/api/petitions", office, Truncated()),
            ["role 403"] = await SendAsync(HttpMethod.Get, "/api/admin/accounts", office),
            ["not found 404"] = await SendAsync(HttpMethod.Get, "/api/petitions/XF-330799-2026-999999", office),
            ["no route 404"] = await plain.GetAsync("/nowhere", Ct),
            ["method 405"] = await plain.DeleteAsync("/api/auth/token", Ct),
            ["media type 415"] = await SendAsync(HttpMethod.Post, "/api/petitions", office, new StringContent("{}", Encoding.UTF8, "text/plain")),
            ["antiforgery 400"] = await Browser.PostAsync("/logout", new FormUrlEncodedContent([]), Ct),
            ["page form antiforgery 400"] = await Browser.PostAsync("/cases/XF-330799-2026-000001?handler=Act&action=accept", new FormUrlEncodedContent([]), Ct),
            ["page 403"] = await Browser.GetAsync("/denied", Ct),
            ["redirect 302"] = await plain.GetAsync("/cases", Ct),
            ["page 200"] = await Browser.GetAsync("/cases", Ct),
            ["static file"] = await plain.GetAsync("/site.css", Ct),
        };
        for (var i = 0; i < 31; i++) answers[$"lookup {i}"] = await plain.GetAsync("/api/public/petitions/XF-330799-2026-000001?queryCode=WRONG", Ct);

        Assert.Contains(answers.Values, a => a.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.All(answers, a => Assert.True(MissingSecurityHeader(a.Value) is null, $"{a.Key} without {MissingSecurityHeader(a.Value)}"));
    }
}
