using System.Net;
using System.Text.RegularExpressions;
using Petitions.Api.Documents;
using Petitions.Domain;
using Petitions.Tests.Support;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Api;

/// <summary>
/// The registration page over HTTP: the day a letter was received (a day in the future or before 1900 is refused
/// beside the field and nothing is registered), the link to the new record, and the receipt with the public progress
/// address and its QR code, which carry the case number and never the query code.
/// </summary>
public sealed partial class RegistrationPageTests(DatabaseServers servers) : ApiTest(StorageProvider.Sqlite, servers)
{
    private const string BaseUrl = "https://xf.example.gov.cn/";

    protected override IReadOnlyDictionary<string, string>? Settings => new Dictionary<string, string> { ["Public:BaseUrl"] = BaseUrl };

    [Theory]
    [InlineData("2026-11-21", "zh-CN", "收到时间不能晚于现在")] // the test clock's today is 2026-11-20
    [InlineData("9999-12-31", "zh-CN", "收到时间不能晚于现在")]
    [InlineData("0001-01-01", "zh-CN", "收到时间不能早于一年前")]
    [InlineData("1899-12-31", "zh-CN", "收到时间不能早于一年前")]
    [InlineData("0001-01-01", "en", "'receivedAt' is more than a year ago")]
    [InlineData("9999-12-31", "en", "'receivedAt' cannot be in the future")]
    public async Task A_received_day_in_the_future_or_long_ago_is_refused_beside_the_field_and_nothing_is_registered(string day, string lang, string message)
    {
        await SignInAsync("reception");

        foreach (var handler in new[] { "Check", "Register" })
        {
            var page = await (await PostRegistrationAsync(handler, day, lang)).Content.ReadAsStringAsync(Ct);
            Assert.Contains(message, WebUtility.HtmlDecode(FieldMessage(page, "Input.ReceivedAt")), StringComparison.Ordinal);
            Assert.Contains($"value=\"{day}\"", page, StringComparison.Ordinal); // the day entered stays in its field
        }
        Assert.Equal(0, await Database.CountAsync("petitions"));
    }

    [Fact]
    public async Task A_letter_opened_late_counts_from_the_day_it_came_and_the_result_links_to_the_record()
    {
        await SignInAsync("reception");

        var page = await (await PostRegistrationAsync("Register", "2026-11-16")).Content.ReadAsStringAsync(Ct);

        var caseNumber = Regex.Match(page, "data-testid=\"case-number\">([^<]+)<").Groups[1].Value;
        Assert.Equal("XF-330799-2026-000001", caseNumber);
        Assert.Contains($"href=\"/cases/{caseNumber}\" data-testid=\"case-link\"", page, StringComparison.Ordinal);
        Assert.Contains("2026年11月16日", page, StringComparison.Ordinal);
        var received = Assert.Single(await Database.QueryAsync<DateTimeOffset>("SELECT received_at FROM petitions"));
        Assert.Equal(new DateOnly(2026, 11, 16), ShanghaiTime.DateOf(received));
        Assert.Equal(HttpStatusCode.OK, (await Browser.GetAsync($"/cases/{caseNumber}", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_receipt_prints_the_progress_address_and_its_qr_code_without_the_query_code()
    {
        await SignInAsync("reception");
        var page = await (await PostRegistrationAsync("Register", "")).Content.ReadAsStringAsync(Ct);
        var caseNumber = Regex.Match(page, "data-testid=\"case-number\">([^<]+)<").Groups[1].Value;
        var queryCode = Regex.Match(page, "data-testid=\"query-code\" class=\"code\">([^<]+)<").Groups[1].Value;
        Assert.NotEmpty(queryCode);

        var receipts = new[]
        {
            await PostFormAsync("/reception/receipt", new() { ["__RequestVerificationToken"] = FormToken().Match(page).Groups["token"].Value, ["caseNumber"] = caseNumber, ["queryCode"] = queryCode }),
            await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}/receipt?queryCode={queryCode}", await TokenAsync("reception")),
        };

        var address = $"https://xf.example.gov.cn/progress?caseNumber={caseNumber}";
        Assert.DoesNotContain(queryCode, address, StringComparison.Ordinal);
        foreach (var receipt in receipts)
        {
            Assert.Equal(HttpStatusCode.OK, receipt.StatusCode);
            var html = await receipt.Content.ReadAsStringAsync(Ct);
            Assert.Contains(queryCode, html, StringComparison.Ordinal); // printed once, for the petitioner
            Assert.Contains(address, html, StringComparison.Ordinal);
            Assert.Contains(ProgressAddress.QrSvg(address), html, StringComparison.Ordinal); // the QR code encodes the address itself
            var urls = Url().Matches(html).Select(m => m.Value).ToList();
            Assert.NotEmpty(urls);
            Assert.All(urls, url => Assert.DoesNotContain(queryCode, url, StringComparison.OrdinalIgnoreCase));
        }

        var progress = await Client.GetStringAsync($"/progress?caseNumber={caseNumber}", Ct); // the address opens the page with the case number in
        Assert.Matches($"id=\"case-number\"[^>]*value=\"{caseNumber}\"", progress);
    }

    [Fact]
    public void Without_a_public_address_the_receipt_prints_none()
    {
        var receipt = new GetReceipt.Response("XF-330799-2026-000001", "PQ58ESY6", "示范县公安局", "噪音扰民", new DateOnly(2026, 11, 20), new DateOnly(2026, 12, 7), "张三丰");

        var html = NoticeDocument.Receipt(receipt, new DateOnly(2026, 11, 20), ProgressAddress.For(new PublicSiteOptions(), receipt.CaseNumber));

        Assert.DoesNotContain("<svg", html, StringComparison.Ordinal);
        Assert.DoesNotContain("查询网址", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("https://xf.example.gov.cn", true)]
    [InlineData("http://localhost:5080/xf/", true)]
    [InlineData("xf.example.gov.cn", false)]
    [InlineData("ftp://xf.example.gov.cn", false)]
    [InlineData("https://xf.example.gov.cn/?from=receipt", false)]
    [InlineData("https://user:secret@xf.example.gov.cn", false)]
    public void The_public_address_is_an_absolute_web_address(string? baseUrl, bool valid) =>
        Assert.Equal(valid, new PublicSiteOptions { BaseUrl = baseUrl }.IsValid);

    private async Task<HttpResponseMessage> PostRegistrationAsync(string handler, string receivedOn, string lang = "zh-CN") =>
        await PostFormAsync($"/reception/register?handler={handler}&lang={lang}", new()
        {
            ["__RequestVerificationToken"] = await FormTokenAsync("/reception/register"),
            ["Input.Channel"] = "letter",
            ["Input.Category"] = "complaint",
            ["Input.Petitioner.Name"] = TestData.PetitionerName,
            ["Input.Petitioner.Phone"] = TestData.PetitionerPhone,
            ["Input.Subject"] = "噪音扰民",
            ["Input.Content"] = "来信反映邻居夜间施工。",
            ["Input.ReceivedAt"] = receivedOn,
        });

    private static string FieldMessage(string page, string field) =>
        Regex.Match(page, $"data-valmsg-for=\"{Regex.Escape(field)}\"[^>]*>(.*?)</span>", RegexOptions.Singleline).Groups[1].Value;

    /// <summary>Every address in the document: in its text and in its attributes.</summary>
    [GeneratedRegex(@"https?://[^\s""'<>]+|(?<=(?:href|src|action)="")[^""]*")]
    private static partial Regex Url();
}
