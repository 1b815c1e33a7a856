using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Features.Reports;
using Petitions.Api.Pages;

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
    public static IEnumerable<object?[]> SummaryRows(IStringLocalizer<Words> words, ReportSummary.Summary s)
    {
        yield return [words["Reports.Measure"].Value, words["Reports.Item"].Value, words["Reports.Count"].Value, words["Reports.Base"].Value, words["Reports.Rate"].Value];
        yield return [words["Common.Organization"].Value, $"{s.Organization.Name} ({s.Organization.Code})", null, null, null];
        yield return [words["Common.Received"].Value, string.Create(CultureInfo.InvariantCulture, $"{s.From:yyyy-MM-dd} – {s.To:yyyy-MM-dd}"), null, null, null];
        yield return [words["Reports.PetitionsReceived"].Value, null, s.Received, null, null];
        foreach (var t in s.ByMonth) yield return Share(words["Reports.ByMonth"].Value, t.Value, t);
        foreach (var t in s.ByChannel) yield return Share(words["Common.Channel"].Value, words.Channel(t.Value), t);
        foreach (var t in s.ByCategory) yield return Share(words["Common.Category"].Value, words.Category(t.Value), t);
        foreach (var t in s.ByStage) yield return Share(words["Common.Stage"].Value, words.StageName(t.Value), t);
        foreach (var u in s.ByUnit) yield return [words["Common.HandlingUnit"].Value, u.Name ?? words["Reports.NotAssigned"].Value, u.Count, s.Received, ReportSummary.Rate(u.Count, s.Received)];
        foreach (var t in s.Triage) yield return Share(words["Reports.Triage"].Value, words.Triage(t.Value), t);
        foreach (var c in s.Clocks)
        {
            yield return [words["Reports.OnTime"].Value, words.Clock(c.Kind), c.OnTime, c.Completed, c.OnTimeRate];
            yield return [words["Reports.OverdueNow"].Value, words.Clock(c.Kind), c.OverdueNow, null, null];
        }
        yield return [words["Reports.AverageHandlingDays"].Value, words["Reports.TotalDaysCompleted"].Value, s.Handling.TotalDays, s.Handling.Completed, s.Handling.Average];
        yield return [words["Reports.ExtensionsGranted"].Value, words["Reports.CountDaysAdded"].Value, s.Extensions.Granted, s.Extensions.Days, null];
        foreach (var t in s.Satisfaction.Distribution) yield return Share(words["Common.Satisfaction"].Value, words.Satisfaction(t.Value), t);
        yield return Ratio(words["Reports.SatisfactionRate"].Value, words["Reports.SatisfiedOrBasicallyEvaluated"].Value, s.Satisfaction.Rate);
        yield return Ratio(words["Reports.RepeatPetitions"].Value, words["Reports.RepeatReceived"].Value, s.Repeat);
        yield return [words["Reports.FirstPetitions"].Value, null, s.FirstPetitions.Count, s.Received, ReportSummary.Rate(s.FirstPetitions.Count, s.Received)];
        yield return Ratio(words["Reports.FirstPetitionResolution"].Value, words["Reports.ConcludedWithoutReviewAccepted"].Value, s.FirstPetitions.Resolution);
        yield return Ratio(words["Reports.ReviewRate"].Value, words["Reports.ReviewsRepliesServed"].Value, s.Review.Rate);
        foreach (var t in s.Review.Outcomes) yield return [words["Reports.ReviewOutcomes"].Value, words.ReviewOutcome(t.Value), t.Count, null, t.Share];
        yield return Ratio(words["Reports.ReReviewRate"].Value, words["Reports.ReReviewsReviews"].Value, s.Rereview.Rate);
        foreach (var t in s.Rereview.Outcomes) yield return [words["Reports.ReReviewOutcomes"].Value, words.ReviewOutcome(t.Value), t.Count, null, t.Share];
        yield return [words["Common.SupervisionOrders"].Value, words["Reports.Open"].Value, s.SupervisionOrders.Open, null, null];
        yield return [words["Common.SupervisionOrders"].Value, words["Common.Closed"].Value, s.SupervisionOrders.Closed, null, null];
        yield return Ratio(words["Reports.LeadershipReceptionDays"].Value, words["Reports.ReceivedByLeaderReceived"].Value, s.LeaderReception);

        object?[] Share(string measure, string item, ReportSummary.Tally t) => [measure, item, t.Count, s.Received, t.Share];
        static object?[] Ratio(string measure, string item, ReportSummary.Ratio r) => [measure, item, r.Count, r.Of, r.Rate];
    }

    public static object?[] CaseHeader(IStringLocalizer<Words> words) =>
        [words["Common.CaseNumber"].Value, words["Common.Received"].Value, words["Common.Channel"].Value, words["Common.Category"].Value, words["Common.Stage"].Value,
         words["Common.HandlingUnit"].Value, words["Common.FirstPetition"].Value, words["Reports.NextDeadline"].Value];

    public static object?[] CaseRow(IStringLocalizer<Words> words, ListPetitions.Item c) =>
        [c.CaseNumber, ShanghaiTime.DateOf(c.ReceivedAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), words.Channel(c.Channel), words.Category(c.Category),
         words.StageName(c.Stage), c.Unit, c.FirstPetition ? words["Common.Yes"].Value : words["Common.No"].Value, c.DueOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)];

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
