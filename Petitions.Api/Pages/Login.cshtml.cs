using Microsoft.AspNetCore.Mvc.RazorPages;
using Petitions.Api.Endpoints;

namespace Petitions.Api.Pages;

/// <summary>The sign-in form, open to anyone; a failed attempt comes back here with <c>failed</c> set, one past the
/// address's limit of attempts (Hosting/RateLimits.cs) with <c>limited</c>.</summary>
public sealed class LoginModel : PageModel
{
    /// <summary>Where sign-in leads: only a path of this site, else home.</summary>
    public string ReturnUrl { get; private set; } = "/";
    public bool Failed { get; private set; }
    public bool Limited { get; private set; }

    public void OnGet(string? returnUrl, string? failed, string? limited)
    {
        ReturnUrl = SessionEndpoints.LocalOnly(returnUrl);
        Failed = failed is not null;
        Limited = limited is not null;
    }
}
