using MediatR;
using Microsoft.Extensions.Options;
using Petitions.Api.Documents;
using Petitions.Api.Http;
using Petitions.Workflows.Features.Petitions;

namespace Petitions.Api.Endpoints;

public static class PetitionEndpoints
{
    public static void MapPetitionEndpoints(this IEndpointRouteBuilder app)
    {
        var petitions = app.MapGroup("/api/petitions").RequireAuthorization();

        petitions.MapPost("/", async (
                RegisterPetition.Command command,
                [Microsoft.AspNetCore.Mvc.FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
                HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var registered = await mediator.Send(command with { Actor = http.User.Actor(), IdempotencyKey = IdempotencyKey.Check(idempotencyKey) }, ct);
                return TypedResults.Created($"/api/petitions/{registered.CaseNumber}", registered);
            })
            .WithName("RegisterPetition")
            .WithSummary("Registers a petition (reception, office) and returns its case number and query code.");

        petitions.MapGet("/", async (
                string? stage, bool? extensionRequested, string? unit, string? officer, string? category, string? channel, DateOnly? receivedFrom, DateOnly? receivedTo,
                string? text, string? name, string? phone, string? idNumber, bool? firstPetition, string? due, string? sort, string? order,
                string? after, int? limit, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListPetitions.Query
                {
                    Stage = stage, ExtensionRequested = extensionRequested == true, Unit = unit, Officer = officer, Category = category, Channel = channel,
                    ReceivedFrom = receivedFrom, ReceivedTo = receivedTo,
                    Text = text, Name = name, Phone = phone, IdNumber = idNumber, FirstPetition = firstPetition, Due = due, Sort = sort, Order = order,
                    After = after, Limit = limit, Actor = http.User.Actor(),
                }, ct)))
            .WithName("ListPetitions")
            .WithSummary("Petitions within the caller's reach, with the total found; filters: stage, extensionRequested (true: awaiting a leader's decision), unit (code), officer (user name, or me: the caller's own cases), category, channel, receivedFrom/To (dates), text (words of the case number, subject or content), name (part of a petitioner's or representative's name), phone, idNumber (whole), firstPetition, due (overdue, near-due, next-7-days); sort by received (default, newest first), case-number, stage, unit or due, order asc or desc; page with 'after' = the previous page's 'next'.");

        petitions.MapGet("/{caseNumber}/notices", async (string caseNumber, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListNotices.Query(caseNumber, http.User.Actor()), ct)))
            .WithName("ListNotices")
            .WithSummary("The notices of a petition within the caller's reach, oldest first: kind, when, in whose name, and whether a due date on it is provisional.");

        petitions.MapGet("/{caseNumber}/notices/{noticeId:long}", async (string caseNumber, long noticeId, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Content(NoticeDocument.Render(await mediator.Send(new GetNotice.Query(caseNumber, noticeId, http.User.Actor()), ct)), "text/html; charset=utf-8"))
            .WithName("GetNotice")
            .WithSummary("A notice as a printable A4 HTML page.");

        petitions.MapGet("/{caseNumber}/receipt", async (
                    string caseNumber, string? queryCode, HttpContext http, IMediator mediator, TimeProvider time, IOptions<PublicSiteOptions> site, CancellationToken ct) =>
                TypedResults.Content(
                    NoticeDocument.Receipt(
                        await mediator.Send(new GetReceipt.Query(caseNumber, queryCode, http.User.Actor()), ct), Petitions.Domain.ShanghaiTime.DateOf(time.GetUtcNow()),
                        ProgressAddress.For(site.Value, caseNumber)),
                    "text/html; charset=utf-8"))
            .WithName("GetReceipt")
            .WithSummary("The registration receipt with the query code, printed right after registering (the code is checked, never stored readable).");

        petitions.MapGet("/{caseNumber}", async (string caseNumber, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetPetition.Query(caseNumber, http.User.Actor()), ct)))
            .WithName("GetPetition")
            .WithSummary("The full record of a petition within the caller's reach, with its clocks and timeline.");

        app.MapGet("/api/workbench", async (HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new Workbench.Query(http.User.Actor()), ct)))
            .RequireAuthorization()
            .WithName("GetWorkbench")
            .WithSummary("The caller's workbench: each work queue of their roles with its count, amber and red; the petitions due in the next 7 days; the supervision orders awaiting the answer (handlers, office); the boards' totals (supervisor, leader, office).");
    }
}
