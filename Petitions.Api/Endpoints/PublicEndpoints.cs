using MediatR;
using Petitions.Workflows.Features.Public;

namespace Petitions.Api.Endpoints;

public static class PublicEndpoints
{
    public static void MapPublicEndpoints(this IEndpointRouteBuilder app)
    {
        var open = app.MapGroup("/api/public").AllowAnonymous();

        open.MapGet("/petitions/{caseNumber}", async (string caseNumber, string? queryCode, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new LookUpPetition.Query(caseNumber, queryCode), ct)))
            .WithName("LookUpPetition")
            .WithSummary("Progress of a petition by case number and query code: stage, due date, public timeline.");
    }
}
