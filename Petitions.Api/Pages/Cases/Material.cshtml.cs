using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Api.Endpoints;
using Petitions.Api.Http;
using Petitions.Workflows.Features.Materials;

namespace Petitions.Api.Pages.Cases;

/// <summary>A material's file for staff signed in to the pages: a download, or (<c>?handler=Preview</c>) an image or PDF
/// shown inline on the case page. Both are audited.</summary>
public sealed class MaterialModel(IMediator mediator) : PageModel
{
    public Task<IActionResult> OnGetAsync(string caseNumber, long materialId, CancellationToken ct) => SendAsync(caseNumber, materialId, inline: false, ct);

    public Task<IActionResult> OnGetPreviewAsync(string caseNumber, long materialId, CancellationToken ct) => SendAsync(caseNumber, materialId, inline: true, ct);

    private async Task<IActionResult> SendAsync(string caseNumber, long materialId, bool inline, CancellationToken ct)
    {
        var material = await mediator.Send(new GetMaterial.Query(caseNumber, materialId, User.Actor(), Preview: inline), ct);
        MaterialDownloads.Headers(Response, material, inline);
        return File(material.Content, material.MediaType);
    }
}
