using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Api.Http;
using Petitions.Api.Pages.Admin;
using Petitions.Domain;
using Petitions.Workflows.Features.Administration;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Workflow;

namespace Petitions.Api.Pages;

/// <summary>Where a signed-in user starts (工作台): the workbench of their roles, counted within their reach; an
/// administrator also sees what they administer, counted within their tree.</summary>
public sealed class IndexModel(IMediator mediator, TimeProvider time) : PageModel
{
    public Workbench.Result? Workbench { get; private set; }
    public ListAccounts.Response? Administered { get; private set; }
    public DateOnly Today => ShanghaiTime.DateOf(time.GetUtcNow());

    public async Task OnGetAsync(CancellationToken ct)
    {
        var actor = User.Actor();
        if (actor.HasAny(PetitionScope.Readers)) Workbench = await mediator.Send(new Workbench.Query(actor), ct);
        if (actor.HasAny(Role.Admin)) Administered = await this.AccountsAsync(mediator, ct);
    }
}
