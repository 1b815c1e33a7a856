using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Api.Http;
using Petitions.Workflows.Features.Administration;
using Petitions.Workflows.Storage;

namespace Petitions.Api.Pages.Admin;

/// <summary>
/// A new user of an organization of the administrator's tree: chosen first, so that only the roles that fit its level
/// are offered (a handling unit's users are handlers, a bureau's take the other roles). An organization from
/// elsewhere, in the address or the form, is not found.
/// </summary>
public sealed class NewUserModel(IMediator mediator, IStringLocalizer<Words> words) : PageModel
{
    public sealed class UserForm
    {
        public string? Organization { get; set; }
        public string? UserName { get; set; }
        public string? DisplayName { get; set; }
        public string? Password { get; set; }
        public List<string> Roles { get; set; } = [];

        public override string ToString() => nameof(UserForm); // the password stays out of logs
    }

    [BindProperty] public UserForm Input { get; set; } = new();
    [TempData] public string? Done { get; set; }

    public IReadOnlyList<(Organization Organization, int Depth)> Tree { get; private set; } = [];
    public Organization? Chosen { get; private set; }
    public IReadOnlyList<string> Roles => Chosen is null ? [] : AdminForms.RolesFor(Chosen.Kind);

    public async Task<IActionResult> OnGetAsync(string? organization, CancellationToken ct)
    {
        await LoadAsync(organization, ct);
        if (organization is not null && Chosen is null) return NotFound();
        Input.Organization = Chosen?.Code;
        if (Roles.Count == 1) Input.Roles = [.. Roles];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var command = new AddUser.Command(Input.UserName?.Trim(), Input.DisplayName, Input.Password, Input.Organization, Input.Roles, User.Actor());
        if (await this.SendAsync(mediator, words, command, ct, ("user-name-taken", nameof(Input.UserName)), ("role-level", nameof(Input.Roles))))
        {
            Done = words["Admin.NewUser.AddedUser0", command.UserName ?? ""];
            return Redirect("/admin/users");
        }
        await LoadAsync(Input.Organization, ct);
        Input.Password = null; // never sent back to the browser
        return Page();
    }

    private async Task LoadAsync(string? organization, CancellationToken ct)
    {
        var accounts = await this.AccountsAsync(mediator, ct);
        Tree = AdminForms.Tree(accounts.Organizations);
        Chosen = accounts.Organizations.FirstOrDefault(o => o.Code == organization);
    }
}
