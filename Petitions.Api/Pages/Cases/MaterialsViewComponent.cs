using MediatR;
using Microsoft.AspNetCore.Mvc;
using Petitions.Api.Http;
using Petitions.Workflows.Features.Materials;

namespace Petitions.Api.Pages.Cases;

/// <summary>The case page's materials: each file with its kind, who attached it and when, images shown and PDFs
/// opened inline, withdrawn ones marked; and the form that attaches more.</summary>
public sealed class MaterialsViewComponent(IMediator mediator) : ViewComponent
{
    public sealed record Listing(string CaseNumber, IReadOnlyList<ListMaterials.Item> Items, bool CanAttach);

    public async Task<IViewComponentResult> InvokeAsync(string caseNumber)
    {
        var actor = UserClaimsPrincipal.Actor();
        var items = await mediator.Send(new ListMaterials.Query(caseNumber, actor), HttpContext.RequestAborted);
        return View(new Listing(caseNumber, items, actor.HasAny(AttachMaterials.Roles)));
    }
}
