using MediatR;
using Petitions.Api.Http;
using Petitions.Domain;
using Petitions.Workflows.Features.Supervision;

namespace Petitions.Api.Endpoints;

public static class SupervisionEndpoints
{
    public sealed record OrderRequest(string? CaseNumber, string? Problem, string? Requirement);

    public sealed record ResponseRequest(string? Response);

    public static void MapSupervisionEndpoints(this IEndpointRouteBuilder app)
    {
        var supervision = app.MapGroup("/api/supervision").RequireAuthorization();

        supervision.MapGet("/overdue", async (string? sort, string? unit, string? category, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new SupervisionBoard.Query(WarningLevel.Overdue, sort, unit, category, http.User.Actor()), ct)))
            .WithName("OverdueBoard")
            .WithSummary("Clocks past their due day within the caller's reach; sort by days (default), unit or category.");

        supervision.MapGet("/near-due", async (string? sort, string? unit, string? category, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new SupervisionBoard.Query(WarningLevel.NearDue, sort, unit, category, http.User.Actor()), ct)))
            .WithName("NearDueBoard")
            .WithSummary("Clocks near their due day (amber) within the caller's reach.");

        supervision.MapGet("/orders", async (string? state, string? caseNumber, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListSupervisionOrders.Query(state, http.User.Actor()) { CaseNumber = caseNumber }, ct)))
            .WithName("ListSupervisionOrders")
            .WithSummary("Supervision orders within the caller's reach, optionally by state (issued, answered, closed); with caseNumber, that petition's orders, for anyone who may see it.");

        supervision.MapPost("/orders", async (OrderRequest request, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var order = await mediator.Send(new IssueSupervisionOrder.Command(request.CaseNumber ?? "", request.Problem, request.Requirement, http.User.Actor()), ct);
                return TypedResults.Created($"/api/supervision/orders/{order.Id}", order);
            })
            .WithName("IssueSupervisionOrder")
            .WithSummary("Issue a supervision order (督办单) for a petition: the problem and the requirement; the response is due in 7 days.");

        supervision.MapPost("/orders/{id:long}/response", async (long id, ResponseRequest request, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new RespondToSupervisionOrder.Command(id, request.Response, http.User.Actor()), ct)))
            .WithName("RespondToSupervisionOrder")
            .WithSummary("The unit's written response to a supervision order.");

        supervision.MapPost("/orders/{id:long}/close", async (long id, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new CloseSupervisionOrder.Command(id, http.User.Actor()), ct)))
            .WithName("CloseSupervisionOrder")
            .WithSummary("The supervisor closes a supervision order.");

        supervision.MapGet("/digests", async (DateOnly? on, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetDigest.Query(on, http.User.Actor()), ct)))
            .WithName("GetDigest")
            .WithSummary("The daily digest (per unit: overdue and near-due clocks) of a day, default today.");
    }
}
