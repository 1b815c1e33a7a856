using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Api.Http;
using Petitions.Domain;
using Petitions.Workflows.Features.Administration;
using Petitions.Workflows.Storage;

namespace Petitions.Api.Pages.Admin;

/// <summary>The users of the administrator's tree, with their roles and state; each can be disabled or enabled here,
/// and given other roles or a new password on a page of its own. A user from elsewhere (a form edited by hand) is not found.</summary>
public sealed class UsersModel(IMediator mediator, TimeProvider time, IStringLocalizer<Words> words) : PageModel
{
    [TempData] public string? Done { get; set; }
    public string? Problem { get; private set; }

    public IReadOnlyList<AccountStore.UserView> Users { get; private set; } = [];
    public IReadOnlyList<(Organization Organization, int Depth)> Tree { get; private set; } = [];
    public DateTimeOffset Now => time.GetUtcNow();

    public string OrganizationName(string code) => Tree.FirstOrDefault(t => t.Organization.Code == code).Organization?.Name ?? code;

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public Task<IActionResult> OnPostDisableAsync(string userName, CancellationToken ct) =>
        SetDisabledAsync(userName, true, words["Admin.Users.Disabled0", userName], ct);

    public Task<IActionResult> OnPostEnableAsync(string userName, CancellationToken ct) =>
        SetDisabledAsync(userName, false, words["Admin.Users.Enabled0", userName], ct);

    private async Task<IActionResult> SetDisabledAsync(string userName, bool disabled, string done, CancellationToken ct)
    {
        try
        {
            await mediator.Send(new SetUserDisabled.Command(userName, disabled, User.Actor()), ct);
            Done = done;
            return RedirectToPage();
        }
        catch (RuleViolationException refused)
        {
            Problem = Messages.Of(words, refused);
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var accounts = await this.AccountsAsync(mediator, ct);
        Users = accounts.Users;
        Tree = AdminForms.Tree(accounts.Organizations);
    }
}
