using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Api.Documents;
using Petitions.Api.Http;
using Petitions.Workflows.Features.Reports;

namespace Petitions.Api.Pages.Reports;

/// <summary>The report dashboard: a period and an organization in, the numbers, SVG charts and tables out, every
/// number leading to its cases; the same report as CSV or Excel.</summary>
public sealed class IndexModel(IMediator mediator, IStringLocalizer<Words> words) : PageModel
{
    public ReportSummary.Summary? Summary { get; private set; }
    public IReadOnlyList<ReportOrganizations.Item> Organizations { get; private set; } = [];
    public string? Org { get; private set; }
    public string? Problem { get; private set; }
    public ReportLinks Links { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string? from, string? to, string? org, CancellationToken ct)
    {
        Org = ReportRequest.Given(org);
        Organizations = await mediator.Send(new ReportOrganizations.Query(User.Actor()), ct);
        Summary = await TrySummaryAsync(from, to, ct);
        if (Summary is not null) Links = new ReportLinks(Org, Summary.From, Summary.To);
        return Page();
    }

    public Task<IActionResult> OnGetCsvAsync(string? from, string? to, string? org, CancellationToken ct) =>
        FileAsync(from, to, org, "csv", s => ReportExport.Csv(ReportExport.SummaryRows(words, s)), ReportExport.CsvType, ct);

    public Task<IActionResult> OnGetXlsxAsync(string? from, string? to, string? org, CancellationToken ct) =>
        FileAsync(from, to, org, "xlsx", s => ReportExport.Xlsx("report", ReportExport.SummaryRows(words, s)), ReportExport.XlsxType, ct);

    /// <summary>The link to this report in another format.</summary>
    public string Download(string handler) => $"/reports?handler={handler}&{ReportLinks.Query(Org, Summary!.From, Summary.To)}";

    private async Task<IActionResult> FileAsync(
        string? from, string? to, string? org, string extension, Func<ReportSummary.Summary, byte[]> render, string type, CancellationToken ct)
    {
        Org = ReportRequest.Given(org);
        var summary = await TrySummaryAsync(from, to, ct);
        return summary is null
            ? BadRequest(Problem!)
            : File(render(summary), type, ReportExport.FileName("report", summary.Organization, summary.From, summary.To, extension));
    }

    private async Task<ReportSummary.Summary?> TrySummaryAsync(string? from, string? to, CancellationToken ct)
    {
        (var summary, Problem) = await ReportRequest.TryAsync(words, 
            mediator.Send(new ReportSummary.Query(ReportRequest.Given(from), ReportRequest.Given(to), Org, User.Actor()), ct),
            words["Reports.WriteDatesAsYearMonth"]);
        return summary;
    }
}
