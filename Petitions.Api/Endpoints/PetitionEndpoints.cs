using MediatR;
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

        petitions.MapGet("/{caseNumber}", async (string caseNumber, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetPetition.Query(caseNumber, http.User.Actor()), ct)))
            .WithName("GetPetition")
            .WithSummary("The full record of a petition within the caller's reach, with its clocks and timeline.");
    }
}
