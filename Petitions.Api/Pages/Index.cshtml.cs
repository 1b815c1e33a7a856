using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Api.Http;
using Petitions.Domain;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Workflow;

namespace Petitions.Api.Pages;

/// <summary>Where a signed-in user starts (工作台): the workbench of their roles, counted within their reach; a user who
/// reads no petitions (an administrator) gets the links of their work only.</summary>
public sealed class IndexModel(IMediator mediator, TimeProvider time) : PageModel
{
    public Workbench.Result? Workbench { get; private set; }
    public DateOnly Today => ShanghaiTime.DateOf(time.GetUtcNow());

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (User.Actor().HasAny(PetitionScope.Readers)) Workbench = await mediator.Send(new Workbench.Query(User.Actor()), ct);
    }
}
