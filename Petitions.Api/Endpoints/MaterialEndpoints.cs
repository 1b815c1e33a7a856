using System.Text.Json;
using MediatR;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Petitions.Api.Hosting;
using Petitions.Api.Http;
using Petitions.Workflows;
using Petitions.Workflows.Features.Administration;
using Petitions.Workflows.Features.Materials;
using Petitions.Workflows.Features.Petitions;

namespace Petitions.Api.Endpoints;

/// <summary>Materials over HTTP: attach (multipart), list, download, withdraw; the proof-of-service policy; and online
/// submission with files.</summary>
public static class MaterialEndpoints
{
    public sealed record WithdrawRequest(string? Reason);

    public sealed record ProofOfServiceRequest(IReadOnlyList<string?>? Methods);

    private const string MultipartHelp =
        "Send multipart/form-data: a 'kind' field (and an optional 'description'), then the file parts they describe; a later 'kind' applies to the files after it.";

    public static void MapMaterialEndpoints(this IEndpointRouteBuilder app)
    {
        var materials = app.MapGroup("/api/petitions/{caseNumber}/materials").RequireAuthorization();

        // No Accepts metadata: routing would answer another content type with 415 before sign-in is checked.
        materials.MapPost("/", async (string caseNumber, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var form = MaterialForm.Of(http) ?? throw new BadHttpRequestException(MultipartHelp, StatusCodes.Status415UnsupportedMediaType);
                var attached = await mediator.Send(new AttachMaterials.Command(caseNumber, form.Files, http.User.Actor()), ct);
                return TypedResults.Created($"/api/petitions/{caseNumber}/materials", attached);
            })
            .WithMetadata(new MaterialUploadAttribute())
            .WithName("AttachMaterials")
            .WithSummary($"Attaches files to a petition within reach (reception, office, handler, leader, supervisor). {MultipartHelp}");

        materials.MapGet("/", async (string caseNumber, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListMaterials.Query(caseNumber, http.User.Actor()), ct)))
            .WithName("ListMaterials")
            .WithSummary("The petition's materials, withdrawn ones marked.");

        materials.MapGet("/{materialId:long}", async (string caseNumber, long materialId, HttpContext http, IMediator mediator, CancellationToken ct) =>
                MaterialDownloads.Send(http.Response, await mediator.Send(new GetMaterial.Query(caseNumber, materialId, http.User.Actor()), ct), inline: false))
            .WithName("DownloadMaterial")
            .WithSummary("A material's file, as an attachment (audited).");

        materials.MapPost("/{materialId:long}/withdraw", async (string caseNumber, long materialId, WithdrawRequest request, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new WithdrawMaterial.Command(caseNumber, materialId, request.Reason, http.User.Actor()), ct)))
            .WithName("WithdrawMaterial")
            .WithSummary("Withdraws a material with a reason (office, leader, or whoever attached it); it stays on record.");

        app.MapPut("/api/admin/organizations/{code}/proof-of-service", async (string code, ProofOfServiceRequest request, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new SetProofOfService.Command(code, request.Methods, http.User.Actor()), ct)))
            .RequireAuthorization()
            .WithName("SetProofOfService")
            .WithSummary("The service methods recorded only once the signed proof of service is attached, for an organization and those below it (admin).");

        // The same address as the JSON submission: routing picks this one for a multipart body; for a body of no type
        // the JSON one goes first (its 415), where both would otherwise match.
        app.MapPost("/api/public/petitions", async (HttpContext http, IOptions<JsonOptions> json, IMediator mediator, CancellationToken ct) =>
            {
                var form = MaterialForm.Of(http)!;
                var command = ReadPetition(form, json.Value.SerializerOptions);
                // No Idempotency-Key here: anonymous callers share one scope, and a replay would hand out a query code.
                var registered = await mediator.Send(
                    command with { Actor = Actor.Public, IdempotencyKey = null, Channel = command.Channel ?? "online", Files = form.Files }, ct);
                return TypedResults.Created($"/api/public/petitions/{registered.CaseNumber}", registered);
            })
            .AllowAnonymous()
            .Accepts<RegisterPetition.Command>("multipart/form-data")
            .WithOrder(1)
            .WithMetadata(new MaterialUploadAttribute { Petitioner = true })
            .RequireRateLimiting(RateLimits.Submissions)
            .WithName("SubmitPetitionOnlineWithMaterials")
            .WithSummary("An online submission with files: the registration body as JSON in a 'petition' part, then up to the public limit of files, each after its 'kind' (letter, evidence, recording, other).");
    }

    private static RegisterPetition.Command ReadPetition(MaterialForm form, JsonSerializerOptions options)
    {
        try
        {
            return form.Fields["petition"] is [{ Length: > 0 } body] && JsonSerializer.Deserialize<RegisterPetition.Command>(body, options) is { } command
                ? command
                : throw new FluentValidation.ValidationException([new FluentValidation.Results.ValidationFailure("petition", "Send the registration body as JSON in one 'petition' part.")]);
        }
        catch (JsonException invalid)
        {
            throw new BadHttpRequestException("The 'petition' part is not valid JSON, or not of the expected shape.", StatusCodes.Status400BadRequest, invalid);
        }
    }
}

/// <summary>
/// How a material's file leaves: never sniffed (nosniff, from the security headers), under a policy that lets it run
/// nothing, named by RFC 5987 <c>filename*</c> so Chinese names survive, as an attachment; inline only for the images
/// and PDFs the case page previews, which their content, not their name, showed to be such.
/// </summary>
public static class MaterialDownloads
{
    /// <summary>A browser's PDF viewer does not open in a sandboxed document and embeds the file as an object of its own
    /// address, so a PDF shown inline is not sandboxed and may embed itself; it runs no script of this site and loads
    /// nothing else, and it is served as application/pdf (its content said so), which no browser renders as a page.</summary>
    private const string PdfPolicy = "default-src 'none'; object-src 'self'; frame-ancestors 'none'";
    private const string SandboxPolicy = "default-src 'none'; sandbox";

    public static IResult Send(HttpResponse response, GetMaterial.Response material, bool inline)
    {
        Headers(response, material, inline);
        return TypedResults.Stream(material.Content, material.MediaType);
    }

    public static void Headers(HttpResponse response, GetMaterial.Response material, bool inline)
    {
        var disposition = new ContentDispositionHeaderValue(inline ? "inline" : "attachment");
        disposition.SetHttpFileName(material.FileName);
        response.Headers.ContentDisposition = disposition.ToString();
        response.Headers.ContentSecurityPolicy = inline && material.MediaType == "application/pdf" ? PdfPolicy : SandboxPolicy;
        response.ContentLength = material.Size;
    }
}
