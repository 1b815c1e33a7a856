using FluentValidation;
using FluentValidation.Results;
using MediatR;
using Petitions.Api.Documents;
using Petitions.Api.Http;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Features.Reports;

namespace Petitions.Api.Endpoints;

public static class ReportEndpoints
{
    public static void MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api/reports").RequireAuthorization();

        reports.MapGet("/summary", async (string? from, string? to, string? org, string? format, HttpContext http, IMediator mediator, IStringLocalizer<Words> words, CancellationToken ct) =>
            {
                CheckFormat(format);
                var summary = await mediator.Send(new ReportSummary.Query(from, to, org, http.User.Actor()), ct);
                return format switch
                {
                    "csv" => Results.File(ReportExport.Csv(ReportExport.SummaryRows(words, summary)), ReportExport.CsvType,
                        ReportExport.FileName("report", summary.Organization, summary.From, summary.To, "csv")),
                    "xlsx" => Results.File(ReportExport.Xlsx("report", ReportExport.SummaryRows(words, summary)), ReportExport.XlsxType,
                        ReportExport.FileName("report", summary.Organization, summary.From, summary.To, "xlsx")),
                    _ => Results.Ok(summary),
                };
            })
            .Produces<ReportSummary.Summary>()
            .WithName("ReportSummary")
            .WithSummary("The report for the petitions received from 'from' to 'to' (Shanghai dates, default this year to date) by 'org' (a code, default your own) and below; format json (default), csv or xlsx. Leaders, office, supervisors.");

        reports.MapGet("/cases", async (
                string? from, string? to, string? org, string? metric, string? value, string? after, int? limit, string? format,
                HttpContext http, IMediator mediator, IStringLocalizer<Words> words, CancellationToken ct) =>
            {
                CheckFormat(format);
                var query = new ReportCases.Query
                {
                    From = from, To = to, Org = org, Metric = metric, Value = value, After = after, Limit = format is "csv" or "xlsx" ? ReportCases.MaxLimit : limit,
                    Actor = http.User.Actor(),
                };
                var first = await mediator.Send(query, ct);
                if (format is not ("csv" or "xlsx")) return Results.Ok(first);
                var fileName = $"cases-{metric}{(value is null ? "" : "-" + value)}.{format}";
                var rows = ReportExport.AllCasesAsync(mediator, query, first, ct).Select(c => ReportExport.CaseRow(words, c)).Prepend(ReportExport.CaseHeader(words));
                return format == "csv"
                    ? Results.Stream(body => ReportExport.WriteCsvAsync(body, rows, ct), ReportExport.CsvType, fileName)
                    : Results.File(ReportExport.Xlsx("cases", await rows.ToListAsync(ct)), ReportExport.XlsxType, fileName);
            })
            .Produces<ListPetitions.Page>()
            .WithName("ReportCases")
            .WithSummary("The petitions behind one number of the report: 'metric' (received, channel, stage, triage, unit, overdue, …) and 'value'; newest first, paged with 'after' = the previous page's 'next', or every one as csv or xlsx (no personal data).");
    }

    private static void CheckFormat(string? format)
    {
        if (!ReportExport.IsFormat(format))
            throw new ValidationException([new ValidationFailure("format", "'format' is json, csv or xlsx.")]);
    }
}
