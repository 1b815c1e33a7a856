using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Workflows.Storage;

namespace Petitions.Api.Pages.Admin;

/// <summary>Where an administrator starts: what they administer and the sections of it.</summary>
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public Organization Root { get; private set; } = null!;
    public int OrganizationCount { get; private set; }
    public int UserCount { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var accounts = await this.AccountsAsync(mediator, ct);
        Root = accounts.Organizations[0];
        OrganizationCount = accounts.Organizations.Count;
        UserCount = accounts.Users.Count;
    }
}
