using MediatR;
using Petitions.Api.Hosting;
using Petitions.Workflows;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Features.Public;

namespace Petitions.Api.Endpoints;

/// <summary>What petitioners reach without an account: online submission, progress lookup and evaluation. Each is
/// rate-limited per client address.</summary>
public static class PublicEndpoints
{
    public sealed record EvaluationRequest(string? QueryCode, string? Satisfaction, string? Comment)
    {
        public override string ToString() => nameof(EvaluationRequest); // the query code stays out of logs
    }

    public static void MapPublicEndpoints(this IEndpointRouteBuilder app)
    {
        var open = app.MapGroup("/api/public").AllowAnonymous();

        open.MapPost("/petitions", async (RegisterPetition.Command command, IMediator mediator, CancellationToken ct) =>
            {
                // No Idempotency-Key here: anonymous callers share one scope, and a replay would hand out a query code.
                var registered = await mediator.Send(command with { Actor = Actor.Public, IdempotencyKey = null, Channel = command.Channel ?? "online" }, ct);
                return TypedResults.Created($"/api/public/petitions/{registered.CaseNumber}", registered.ForPublic);
            })
            .RequireRateLimiting(RateLimits.Submissions)
            .WithName("SubmitPetitionOnline")
            .WithSummary("A petitioner submits a petition online to a bureau (its code in 'bureau'); answers with the case number and query code.");

        open.MapGet("/petitions/{caseNumber}", async (string caseNumber, string? queryCode, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new LookUpPetition.Query(caseNumber, queryCode), ct)))
            .RequireRateLimiting(RateLimits.Lookups)
            .AddEndpointFilter<LookupGuardFilter>()
            .WithName("LookUpPetition")
            .WithSummary("Progress of a petition by case number and query code: stage, due date, public timeline, notices owed.");

        open.MapPost("/petitions/{caseNumber}/evaluation", async (string caseNumber, EvaluationRequest request, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new EvaluatePetition.Command(caseNumber, request.QueryCode, request.Satisfaction, request.Comment), ct)))
            .RequireRateLimiting(RateLimits.Lookups)
            .AddEndpointFilter<LookupGuardFilter>()
            .WithName("EvaluatePetition")
            .WithSummary("The petitioner evaluates the outcome with the query code: once, after the reply was served.");
    }
}
