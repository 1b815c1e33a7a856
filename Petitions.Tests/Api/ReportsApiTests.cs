using System.Net;
using System.Net.Http.Json;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Api;

public abstract class ReportsApiTests(StorageProvider provider, DatabaseServers servers) : ApiTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : ReportsApiTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : ReportsApiTests(StorageProvider.Postgres, servers);

    /// <summary>Three petitions, two by visit; one accepted by a unit whose name an administrator wrote as a formula.</summary>
    private async Task<(string Accepted, string Other)> PopulateAsync()
    {
        var created = await SendAsync(HttpMethod.Post, "/api/admin/organizations", await TokenAsync("admin"),
            JsonContent.Create(new { parent = "330799", code = "330799-09", name = "=HYPERLINK(\"http://evil\")", kind = "unit" }));
        created.EnsureSuccessStatusCode();
        var reception = await TokenAsync("reception");
        var cases = new List<string>();
        foreach (var channel in new[] { "visit", "visit", "letter" })
        {
            var body = PetitionBody();
            body["channel"] = channel;
            cases.Add((await JsonAsync(await RegisterAsync(reception, body))).GetProperty("caseNumber").GetString()!);
        }
        var accepted = await SendAsync(HttpMethod.Post, $"/api/petitions/{cases[0]}/actions/accept", await TokenAsync("office"), JsonContent.Create(new { unit = "330799-09" }));
        accepted.EnsureSuccessStatusCode();
        return (cases[0], cases[1]);
    }

    [Fact]
    public async Task The_summary_answers_as_JSON_CSV_and_Excel()
    {
        await PopulateAsync();
        var leader = await TokenAsync("leader");

        var json = await JsonAsync(await SendAsync(HttpMethod.Get, "/api/reports/summary?from=2026-01-01&to=2026-12-31", leader));
        Assert.Equal(3, json.GetProperty("received").GetInt32());
        Assert.Equal("330799", json.GetProperty("organization").GetProperty("code").GetString());
        Assert.Equal(2, json.GetProperty("byChannel").EnumerateArray().Single(t => t.GetProperty("value").GetString() == "visit").GetProperty("count").GetInt32());
        Assert.Equal(1, json.GetProperty("triage")[0].GetProperty("count").GetInt32()); // accept

        var csv = await SendAsync(HttpMethod.Get, "/api/reports/summary?from=2026-01-01&to=2026-12-31&format=csv&lang=en", leader);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Equal("report-330799-20260101-20261231.csv", csv.Content.Headers.ContentDisposition!.FileName);
        var bytes = await csv.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.Equal("Measure,Item,Count,Base,Rate", lines[0]);
        Assert.Contains("Channel,Visit,2,3,0.6667", lines);
        Assert.Contains("信访总量,,3,,", Encoding.UTF8.GetString(await (await SendAsync(HttpMethod.Get, "/api/reports/summary?format=csv&lang=zh-CN", leader)).Content.ReadAsByteArrayAsync(Ct)), StringComparison.Ordinal);

        var xlsx = await SendAsync(HttpMethod.Get, "/api/reports/summary?from=2026-01-01&to=2026-12-31&format=xlsx&lang=en", leader);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType!.MediaType);
        using var workbook = SpreadsheetDocument.Open(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync(Ct)), false);
        var rows = workbook.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Row>().ToList();
        Assert.Equal(lines.Length - 1, rows.Count); // the same rows as the CSV (which ends with a line break)
        Assert.Equal(["Petitions received", "", "3"], rows[3].Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().Take(3).Select(c => c.InnerText));
    }

    [Fact]
    public async Task The_cases_behind_a_number_page_as_JSON_and_export_without_personal_data_or_formulas()
    {
        var (accepted, other) = await PopulateAsync();
        var leader = await TokenAsync("leader");

        var first = await JsonAsync(await SendAsync(HttpMethod.Get, "/api/reports/cases?metric=channel&value=visit&limit=1", leader));
        var next = first.GetProperty("next").GetString();
        var second = await JsonAsync(await SendAsync(HttpMethod.Get, $"/api/reports/cases?metric=channel&value=visit&limit=1&after={next}", leader));
        Assert.Equal([other, accepted], new[] { first, second }.Select(p => p.GetProperty("items")[0].GetProperty("caseNumber").GetString()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("next").ValueKind);

        var csv = await SendAsync(HttpMethod.Get, "/api/reports/cases?metric=unit&value=330799-09&format=csv", leader);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var text = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync(Ct));
        Assert.StartsWith("\uFEFF信访编号,登记日期,", text, StringComparison.Ordinal);
        Assert.Contains($"{accepted},2026-11-20,来访,申诉求决类,办理中,\"'=HYPERLINK(\"\"http://evil\"\")\",是,2027-01-19\r\n", text, StringComparison.Ordinal);
        foreach (var personal in new[] { TestData.PetitionerName, TestData.PetitionerPhone, TestData.IdNumber, TestData.PetitionerAddress, "噪音扰民" })
            Assert.DoesNotContain(personal, text, StringComparison.Ordinal);

        var all = await SendAsync(HttpMethod.Get, "/api/reports/cases?metric=received&format=xlsx", leader);
        using var workbook = SpreadsheetDocument.Open(new MemoryStream(await all.Content.ReadAsByteArrayAsync(Ct)), false);
        Assert.Equal(4, workbook.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Row>().Count()); // header and 3
    }

    [Theory]
    [InlineData("handler", "", HttpStatusCode.Forbidden)]
    [InlineData("reception", "", HttpStatusCode.Forbidden)]
    [InlineData("admin", "", HttpStatusCode.Forbidden)]
    [InlineData("supervisor", "", HttpStatusCode.OK)]
    [InlineData("office", "&org=330799-01", HttpStatusCode.OK)]
    [InlineData("leader", "&org=330799-02", HttpStatusCode.OK)]
    [InlineData("leader", "&org=330798", HttpStatusCode.NotFound)]
    [InlineData("leader", "&org=330700", HttpStatusCode.NotFound)]
    [InlineData("leader", "&org=nowhere", HttpStatusCode.NotFound)]
    public async Task Reports_are_for_leaders_office_and_supervisors_within_their_subtree(string user, string org, HttpStatusCode expected)
    {
        var token = await TokenAsync(user);

        Assert.Equal(expected, (await SendAsync(HttpMethod.Get, $"/api/reports/summary?from=2026-01-01{org}", token)).StatusCode);
        Assert.Equal(expected, (await SendAsync(HttpMethod.Get, $"/api/reports/cases?metric=received{org}", token)).StatusCode);
    }

    [Theory]
    [InlineData("/api/reports/summary?from=2026-02-30", "from")]
    [InlineData("/api/reports/summary?to=20261231", "to")]
    [InlineData("/api/reports/summary?from=2026-06-01&to=2026-05-31", "to")]
    [InlineData("/api/reports/summary?from=0001-01-01", "from")]
    [InlineData("/api/reports/summary?to=9999-12-31", "to")]
    [InlineData("/api/reports/summary?from=0001-01-01&to=0001-01-01", "from", "to")]
    [InlineData("/api/reports/cases?metric=received&from=0001-01-01", "from")]
    [InlineData("/api/reports/cases?metric=received&to=9999-12-31", "to")]
    [InlineData("/api/reports/summary?org=", "org")]
    [InlineData("/api/reports/summary?format=pdf", "format")]
    [InlineData("/api/reports/cases?metric=colour", "metric")]
    [InlineData("/api/reports/cases?metric=stage", "value")]
    [InlineData("/api/reports/cases?metric=received&value=x", "value")]
    [InlineData("/api/reports/cases?metric=received&after=abc", "after")]
    [InlineData("/api/reports/cases?metric=received&limit=500", "limit")]
    public async Task Bad_input_is_a_400_naming_the_field(string path, params string[] fields)
    {
        var response = await SendAsync(HttpMethod.Get, path, await TokenAsync("leader"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(fields, (await JsonAsync(response)).GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }
}
