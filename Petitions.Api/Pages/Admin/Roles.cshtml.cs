using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Api.Http;
using Petitions.Workflows.Features.Administration;
using Petitions.Workflows.Storage;

namespace Petitions.Api.Pages.Admin;

/// <summary>An administrator gives a user of their tree other roles, chosen among those that fit the user's
/// organization; the user's sessions end. A user from elsewhere, in the address, is not found.</summary>
public sealed class RolesModel(IMediator mediator, IStringLocalizer<Words> words) : PageModel
{
    public sealed class RolesForm
    {
        public List<string> Roles { get; set; } = [];
    }

    [BindProperty] public RolesForm Input { get; set; } = new();
    [TempData] public string? Done { get; set; }

    public AccountStore.UserView Target { get; private set; } = null!;
    public Organization Organization { get; private set; } = null!;
    public IReadOnlyList<string> Offered => AdminForms.RolesFor(Organization.Kind);

    public async Task<IActionResult> OnGetAsync(string userName, CancellationToken ct)
    {
        if (!await FindAsync(userName, ct)) return NotFound();
        Input.Roles = [.. Target.Roles];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string userName, CancellationToken ct)
    {
        if (!await FindAsync(userName, ct)) return NotFound();
        if (await this.SendAsync(mediator, words, new SetUserRoles.Command(userName, Input.Roles, User.Actor()), ct, ("own-roles", nameof(Input.Roles)), ("role-level", nameof(Input.Roles))))
        {
            Done = words["Admin.Roles.0HasNewRolesTheir", userName];
            return Redirect("/admin/users");
        }
        return Page();
    }

    /// <summary>The user and their organization, when they are of the administrator's tree.</summary>
    private async Task<bool> FindAsync(string userName, CancellationToken ct)
    {
        if (await this.UserAsync(mediator, userName, ct) is not { } found) return false;
        (Target, Organization) = found;
        return true;
    }
}
