using MediatR;
using Petitions.Api.Http;
using Petitions.Workflows.Features.Administration;

namespace Petitions.Api.Endpoints;

public static class AdministrationEndpoints
{
    public sealed record PolicyRequest(string? Organization, IReadOnlyList<ClockRuleInput>? Rules);

    public static void MapAdministrationEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").RequireAuthorization();

        app.MapGet("/api/audit", async (
                string? caseNumber, string? user, DateOnly? from, DateOnly? to, long? before, int? limit, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListAudit.Query(caseNumber, user, from, to, before, limit, http.User.Actor()), ct)))
            .RequireAuthorization()
            .WithName("ListAudit")
            .WithSummary("The audit log, newest first (admin, supervisor): filter by caseNumber, user, from, to; page with before = the last id.");

        admin.MapGet("/holidays/{year:int}", async (int year, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetHolidayTable.Query(year, http.User.Actor()), ct)))
            .WithName("GetHolidayTable")
            .WithSummary("A year's holiday table (days off and make-up working days).");

        admin.MapPut("/holidays/{year:int}", async (int year, IReadOnlyList<HolidayDay> days, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new PublishHolidayTable.Command(year, days, http.User.Actor()), ct)))
            .WithName("PublishHolidayTable")
            .WithSummary("Replace a year's holiday table (admin), from the State Council notice.");

        admin.MapGet("/policies", async (HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListDeadlinePolicies.Query(http.User.Actor()), ct)))
            .WithName("ListDeadlinePolicies")
            .WithSummary("The national deadline rules and every published policy.");

        admin.MapPost("/policies", async (PolicyRequest request, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new PublishDeadlinePolicy.Command(request.Organization, request.Rules, http.User.Actor()), ct)))
            .WithName("PublishDeadlinePolicy")
            .WithSummary("Publish a new version of a bureau's deadline policy (admin): one rule per clock.");
    }
}
