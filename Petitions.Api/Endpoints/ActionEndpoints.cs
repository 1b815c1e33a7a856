using System.Text.Json;
using MediatR;
using Petitions.Api.Http;
using Petitions.Domain;
using Petitions.Workflows.Features.Actions;
using Petitions.Workflows.Workflow;

namespace Petitions.Api.Endpoints;

/// <summary>
/// The workflow's actions over HTTP: one route per action, generated from the installed definitions, so each has
/// its own documented body in the OpenAPI document; all of them send the one runtime command.
/// </summary>
public static class ActionEndpoints
{
    public static void MapActionEndpoints(this IEndpointRouteBuilder app)
    {
        var petitions = app.MapGroup("/api/petitions/{caseNumber}").RequireAuthorization();

        petitions.MapGet("/actions", async (string caseNumber, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListActions.Query(caseNumber, http.User.Actor()), ct)))
            .WithName("ListActions")
            .WithSummary("The actions the caller may take on the petition now.");

        var catalog = app.ServiceProvider.GetRequiredService<WorkflowCatalog>();
        var map = typeof(ActionEndpoints).GetMethod(nameof(MapAction), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        // A follow-up is the workflow's own step on a linked petition: nobody sends it.
        foreach (var action in catalog.AllActions.Where(a => !a.IsFollowUp))
            map.MakeGenericMethod(action.Payload).Invoke(null, [petitions, action]);
    }

    private static void MapAction<TPayload>(RouteGroupBuilder petitions, ActionDefinition action) =>
        petitions.MapPost($"/actions/{action.Code}", async (string caseNumber, TPayload payload, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(
                    new PerformAction.Command(caseNumber, action.Code, JsonSerializer.SerializeToElement(payload, JsonSerializerOptions.Web), http.User.Actor()), ct)))
            .WithName($"Action:{action.Code}")
            .WithSummary(action.Summary)
            .WithDescription(Describe(action));

    /// <summary>What an integrator needs beside the body: who, from where, to where, and what it issues.</summary>
    private static string Describe(ActionDefinition action)
    {
        static string List<T>(IEnumerable<T> values) where T : struct, Enum => string.Join(", ", values.Select(Codes.Of));
        var to = action.To.Count == 0 ? "the stage stays" : $"leads to {List(action.To)}";
        var notices = action.Notices.Count == 0 ? "" : $" Issues: {List(action.Notices)}.";
        return $"{action.Summary}. Roles: {List(action.Roles)}. From {List(action.From)}; {to}.{notices} "
               + "A stage that does not allow it, or a rule of the petition's state, answers 409 with the rule's code.";
    }
}
