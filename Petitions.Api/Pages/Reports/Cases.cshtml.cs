using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Api.Documents;
using Petitions.Api.Http;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Features.Reports;

namespace Petitions.Api.Pages.Reports;

/// <summary>The cases behind one number of a report, a page at a time, each leading to its record; all of them as CSV
/// or Excel (without personal data or subjects).</summary>
public sealed class CasesModel(IMediator mediator, IStringLocalizer<Words> words) : PageModel
{
    public ListPetitions.Page List { get; private set; } = new([], null);
    public ReportCases.Query Query { get; private set; } = new();
    public string? Problem { get; private set; }

    public string Title => ReportLinks.Title(words, Query.Metric ?? "", Query.Value);

    public async Task<IActionResult> OnGetAsync(string? from, string? to, string? org, string? metric, string? value, string? after, CancellationToken ct)
    {
        Query = Build(from, to, org, metric, value, after, limit: 50);
        List = await TryListAsync(ct) ?? List;
        return Page();
    }

    public Task<IActionResult> OnGetCsvAsync(string? from, string? to, string? org, string? metric, string? value, CancellationToken ct) =>
        ExportAsync(from, to, org, metric, value, "csv", ct);

    public Task<IActionResult> OnGetXlsxAsync(string? from, string? to, string? org, string? metric, string? value, CancellationToken ct) =>
        ExportAsync(from, to, org, metric, value, "xlsx", ct);

    /// <summary>This list's address with another page or format.</summary>
    public string Link(string? handler = null, string? after = null) =>
        Address("/reports/cases", ("handler", handler), ("from", Query.From), ("to", Query.To), ("org", Query.Org), ("metric", Query.Metric), ("value", Query.Value), ("after", after));

    /// <summary>The report this list came from.</summary>
    public string Back => Address("/reports", ("from", Query.From), ("to", Query.To), ("org", Query.Org));

    private static string Address(string path, params (string Name, string? Value)[] parameters) =>
        path + "?" + string.Join("&", parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}"));

    private async Task<IActionResult> ExportAsync(string? from, string? to, string? org, string? metric, string? value, string format, CancellationToken ct)
    {
        Query = Build(from, to, org, metric, value, after: null, limit: ReportCases.MaxLimit);
        if (await TryListAsync(ct) is not { } first) return BadRequest(Problem!);
        var rows = ReportExport.AllCasesAsync(mediator, Query, first, ct).Select(c => ReportExport.CaseRow(words, c)).Prepend(ReportExport.CaseHeader(words));
        var fileName = $"cases-{Query.Metric}{(Query.Value is null ? "" : "-" + Query.Value)}.{format}";
        if (format == "xlsx") return File(ReportExport.Xlsx("cases", await rows.ToListAsync(ct)), ReportExport.XlsxType, fileName);
        Response.ContentType = ReportExport.CsvType;
        Response.Headers.ContentDisposition = new System.Net.Http.Headers.ContentDispositionHeaderValue("attachment") { FileNameStar = fileName }.ToString();
        await ReportExport.WriteCsvAsync(Response.Body, rows, ct);
        return new EmptyResult();
    }

    private ReportCases.Query Build(string? from, string? to, string? org, string? metric, string? value, string? after, int limit) => new()
    {
        From = ReportRequest.Given(from),
        To = ReportRequest.Given(to),
        Org = ReportRequest.Given(org),
        Metric = ReportRequest.Given(metric),
        Value = ReportRequest.Given(value),
        After = ReportRequest.Given(after),
        Limit = limit,
        Actor = User.Actor(),
    };

    private async Task<ListPetitions.Page?> TryListAsync(CancellationToken ct)
    {
        (var page, Problem) = await ReportRequest.TryAsync(words, 
            mediator.Send(Query, ct),
            words["Reports.ThisLinkIsIncompleteOr"]);
        return page;
    }
}
