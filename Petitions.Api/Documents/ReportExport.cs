using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Features.Reports;
using static Petitions.Api.Pages.Text;

namespace Petitions.Api.Documents;

/// <summary>
/// The reports as files, in the request's language: CSV in UTF-8 with a byte-order mark (so that Excel reads the
/// Chinese) and .xlsx. A CSV text cell that a spreadsheet would take for a formula (= + - @, tab or carriage return
/// first) gets a leading apostrophe; .xlsx cells are typed, so text is never a formula there. The case list carries
/// neither personal data nor the subject, a free text that may name people.
/// </summary>
public static class ReportExport
{
    public const string CsvType = "text/csv; charset=utf-8";
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>The file formats a report comes in; null is JSON (the API) or the page.</summary>
    public static bool IsFormat(string? format) => format is null or "json" or "csv" or "xlsx";

    public static string FileName(string what, ReportSummary.OrganizationView organization, DateOnly from, DateOnly to, string extension) =>
        string.Create(CultureInfo.InvariantCulture, $"{what}-{organization.Code}-{from:yyyyMMdd}-{to:yyyyMMdd}.{extension}");

    /// <summary>The summary as a table: what is counted, which value, the count, its base and their quotient.</summary>
    public static IEnumerable<object?[]> SummaryRows(ReportSummary.Summary s)
    {
        yield return [T("指标", "Measure"), T("项目", "Item"), T("数量", "Count"), T("基数", "Base"), T("比率", "Rate")];
        yield return [T("机构", "Organization"), $"{s.Organization.Name} ({s.Organization.Code})", null, null, null];
        yield return [T("登记日期", "Received"), string.Create(CultureInfo.InvariantCulture, $"{s.From:yyyy-MM-dd} – {s.To:yyyy-MM-dd}"), null, null, null];
        yield return [T("信访总量", "Petitions received"), null, s.Received, null, null];
        foreach (var t in s.ByMonth) yield return Share(T("按月", "By month"), t.Value, t);
        foreach (var t in s.ByChannel) yield return Share(T("信访形式", "Channel"), Channel(t.Value), t);
        foreach (var t in s.ByCategory) yield return Share(T("信访类别", "Category"), Category(t.Value), t);
        foreach (var t in s.ByStage) yield return Share(T("办理阶段", "Stage"), StageName(t.Value), t);
        foreach (var u in s.ByUnit) yield return [T("承办单位", "Handling unit"), u.Name ?? T("未交办", "Not assigned"), u.Count, s.Received, ReportSummary.Rate(u.Count, s.Received)];
        foreach (var t in s.Triage) yield return Share(T("受理审查", "Triage"), Triage(t.Value), t);
        foreach (var c in s.Clocks)
        {
            yield return [T("按期办结率", "On time"), Clock(c.Kind), c.OnTime, c.Completed, c.OnTimeRate];
            yield return [T("当前超期", "Overdue now"), Clock(c.Kind), c.OverdueNow, null, null];
        }
        yield return [T("平均办理天数", "Average handling days"), T("合计天数 / 办结件数", "Total days / completed"), s.Handling.TotalDays, s.Handling.Completed, s.Handling.Average];
        yield return [T("批准延期", "Extensions granted"), T("件数（延长天数合计）", "Count (days added)"), s.Extensions.Granted, s.Extensions.Days, null];
        foreach (var t in s.Satisfaction.Distribution) yield return Share(T("满意度", "Satisfaction"), Satisfaction(t.Value), t);
        yield return Ratio(T("满意率", "Satisfaction rate"), T("满意与基本满意 / 表态", "Satisfied or basically / evaluated"), s.Satisfaction.Rate);
        yield return Ratio(T("重复信访率", "Repeat petitions"), T("重复信访 / 信访总量", "Repeat / received"), s.Repeat);
        yield return [T("初信初访", "First petitions"), null, s.FirstPetitions.Count, s.Received, ReportSummary.Rate(s.FirstPetitions.Count, s.Received)];
        yield return Ratio(T("初信初访化解率", "First-petition resolution"), T("未经复查办结 / 受理", "Concluded without review / accepted"), s.FirstPetitions.Resolution);
        yield return Ratio(T("复查率", "Review rate"), T("申请复查 / 处理意见已送达", "Reviews / replies served"), s.Review.Rate);
        foreach (var t in s.Review.Outcomes) yield return [T("复查结果", "Review outcomes"), ReviewOutcome(t.Value), t.Count, null, t.Share];
        yield return Ratio(T("复核率", "Re-review rate"), T("申请复核 / 申请复查", "Re-reviews / reviews"), s.Rereview.Rate);
        foreach (var t in s.Rereview.Outcomes) yield return [T("复核结果", "Re-review outcomes"), ReviewOutcome(t.Value), t.Count, null, t.Share];
        yield return [T("督办单", "Supervision orders"), T("未办结", "Open"), s.SupervisionOrders.Open, null, null];
        yield return [T("督办单", "Supervision orders"), T("已办结", "Closed"), s.SupervisionOrders.Closed, null, null];
        yield return Ratio(T("局长接待日接待", "Leadership reception days"), T("接待件数 / 信访总量", "Received by a leader / received"), s.LeaderReception);

        object?[] Share(string measure, string item, ReportSummary.Tally t) => [measure, item, t.Count, s.Received, t.Share];
        static object?[] Ratio(string measure, string item, ReportSummary.Ratio r) => [measure, item, r.Count, r.Of, r.Rate];
    }

    public static object?[] CaseHeader() =>
        [T("信访编号", "Case number"), T("登记日期", "Received"), T("信访形式", "Channel"), T("信访类别", "Category"), T("办理阶段", "Stage"),
         T("承办单位", "Handling unit"), T("初信初访", "First petition"), T("最近期限", "Next deadline")];

    public static object?[] CaseRow(ListPetitions.Item c) =>
        [c.CaseNumber, ShanghaiTime.DateOf(c.ReceivedAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Channel(c.Channel), Category(c.Category),
         StageName(c.Stage), c.Unit, c.FirstPetition ? T("是", "Yes") : T("否", "No"), c.DueOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)];

    /// <summary>Every case behind the number, page after page after the first (already read, so a refusal comes
    /// before the file starts).</summary>
    public static async IAsyncEnumerable<ListPetitions.Item> AllCasesAsync(
        IMediator mediator, ReportCases.Query query, ListPetitions.Page first, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        for (var page = first; ; page = await mediator.Send(query with { After = page.Next, Limit = ReportCases.MaxLimit }, ct))
        {
            foreach (var item in page.Items) yield return item;
            if (page.Next is null) yield break;
        }
    }

    public static byte[] Csv(IEnumerable<object?[]> rows)
    {
        var text = new StringBuilder();
        foreach (var row in rows) text.Append(CsvLine(row));
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    public static async Task WriteCsvAsync(Stream body, IAsyncEnumerable<object?[]> rows, CancellationToken ct)
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
        await foreach (var row in rows.WithCancellation(ct)) await writer.WriteAsync(CsvLine(row));
    }

    /// <summary>A one-sheet workbook; numbers are number cells and text inline strings.</summary>
    public static byte[] Xlsx(string sheetName, IEnumerable<object?[]> rows)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            var worksheet = workbook.AddNewPart<WorksheetPart>();
            using (var writer = OpenXmlWriter.Create(worksheet))
            {
                writer.WriteStartElement(new Worksheet());
                writer.WriteStartElement(new SheetData());
                foreach (var row in rows)
                {
                    writer.WriteStartElement(new Row());
                    foreach (var cell in row) writer.WriteElement(XlsxCell(cell));
                    writer.WriteEndElement();
                }
                writer.WriteEndElement();
                writer.WriteEndElement();
            }
            workbook.Workbook = new Workbook(new Sheets(new Sheet { Id = workbook.GetIdOfPart(worksheet), SheetId = 1, Name = sheetName }));
        }
        return stream.ToArray();
    }

    private static Cell XlsxCell(object? value) => value switch
    {
        null => new Cell(),
        string text => new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new DocumentFormat.OpenXml.Spreadsheet.Text(text)) },
        _ => new Cell { DataType = CellValues.Number, CellValue = new CellValue(Convert.ToDouble(value, CultureInfo.InvariantCulture)) },
    };

    private static string CsvLine(object?[] cells) => string.Join(",", cells.Select(CsvCell)) + "\r\n";

    private static string CsvCell(object? value)
    {
        var text = value switch
        {
            null => "",
            string s when s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r' => "'" + s,
            string s => s,
            IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
    }
}
