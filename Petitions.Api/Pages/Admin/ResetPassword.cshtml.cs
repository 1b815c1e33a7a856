using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Api.Http;
using Petitions.Workflows.Features.Administration;
using Petitions.Workflows.Storage;

namespace Petitions.Api.Pages.Admin;

/// <summary>An administrator gives a user of their tree a new password, typed twice; the user's old sessions end. A
/// user from elsewhere, in the address or the form, is not found.</summary>
public sealed class ResetPasswordModel(IMediator mediator, IStringLocalizer<Words> words) : PageModel
{
    public sealed class PasswordForm
    {
        public string? NewPassword { get; set; }
        public string? Confirmation { get; set; }

        public override string ToString() => nameof(PasswordForm); // passwords stay out of logs
    }

    [BindProperty] public PasswordForm Input { get; set; } = new();
    [TempData] public string? Done { get; set; }

    public AccountStore.UserView Target { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string userName, CancellationToken ct) =>
        await FindAsync(userName, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string userName, CancellationToken ct)
    {
        if (!await FindAsync(userName, ct)) return NotFound();
        if (!string.IsNullOrEmpty(Input.NewPassword) && Input.Confirmation != Input.NewPassword)
            ModelState.AddModelError("Input.Confirmation", words["Admin.ResetPassword.TwoPasswordsDiffer"]);
        else if (await this.SendAsync(mediator, words, new ResetPassword.Command(userName, Input.NewPassword, User.Actor()), ct, ("own-password", nameof(Input.NewPassword))))
        {
            Done = words["Admin.ResetPassword.0HasNewPasswordTheir", userName];
            return Redirect("/admin/users");
        }
        return Page();
    }

    /// <summary>The user, when they are of the administrator's tree.</summary>
    private async Task<bool> FindAsync(string userName, CancellationToken ct)
    {
        if (await this.UserAsync(mediator, userName, ct) is not { } found) return false;
        Target = found.User;
        return true;
    }
}
