using System.Globalization;
using System.Text;
using MediatR;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Petitions.Api.Hosting;
using Petitions.Api.Http;
using Petitions.Domain;
using Petitions.Workflows;
using Petitions.Workflows.Features.Accounts;

namespace Petitions.Api.Endpoints;

/// <summary>
/// Sign-in for the web pages: a cookie (HttpOnly, SameSite=Strict, <c>Auth:CookieLifetime</c>), issued by the form of
/// the sign-in page (Pages/Login.cshtml), which carries an antiforgery token. The JSON API takes bearer tokens only, so
/// a cookie can never act on it cross-site.
/// </summary>
public static class SessionEndpoints
{
    public const string PagesPolicy = "pages";

    public static void MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/login", async ([Microsoft.AspNetCore.Mvc.FromForm] LoginForm form, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var back = LocalOnly(form.ReturnUrl);
                try
                {
                    var user = await mediator.Send(new SignIn.Query(form.UserName, form.Password), ct);
                    await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, Claims.Principal(user, CookieAuthenticationDefaults.AuthenticationScheme));
                    return Results.Redirect(back);
                }
                catch (Exception e) when (e is UnauthorizedException or FluentValidation.ValidationException)
                {
                    return Results.Redirect($"/login?failed=1&returnUrl={Uri.EscapeDataString(back)}");
                }
            })
            .AllowAnonymous()
            .RequireRateLimiting(RateLimits.SignIns)
            .WithOrder(-1) // before the sign-in page (Pages/Login.cshtml), whose route takes every method
            .ExcludeFromDescription();

        app.MapPost("/logout", async (HttpContext http, IAntiforgery antiforgery, IMediator mediator, CancellationToken ct) =>
            {
                await antiforgery.ValidateRequestAsync(http); // no form is bound here, so the check is explicit
                await mediator.Send(new SignOut.Command(http.User.Actor()), ct); // a copy of the cookie ends with it
                await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                return Results.Redirect("/login");
            })
            .RequireAuthorization(PagesPolicy)
            .ExcludeFromDescription();
    }

    /// <summary>The sign-in form; every field may be missing (a 400 would only confuse a person at a browser).</summary>
    public sealed record LoginForm
    {
        public string? UserName { get; init; }
        public string? Password { get; init; }
        public string? ReturnUrl { get; init; }

        public override string ToString() => nameof(LoginForm); // the password stays out of logs
    }

    /// <summary>
    /// Where sign-in may lead: a path of this site, else the home page. Refused: anything that does not start with one
    /// slash, a second slash or backslash after it (a browser reads <c>//host</c> and <c>/\host</c> as another site),
    /// any backslash, and control characters (a browser drops a tab or line break, so <c>/\t/host</c> is <c>//host</c>;
    /// a CR or LF would break the header). What is left is kept, its non-ASCII characters percent-encoded as UTF-8:
    /// a <c>Location</c> header carries ASCII only.
    /// </summary>
    internal static string LocalOnly(string? url)
    {
        if (url is not ['/', ..] || url.StartsWith("//", StringComparison.Ordinal) || url.Any(c => c < ' ' || c == '\x7F' || c == '\\')) return "/";
        var local = new StringBuilder(url.Length);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in url.EnumerateRunes()) // an unpaired surrogate comes as U+FFFD
        {
            if (rune.IsAscii)
            {
                local.Append((char)rune.Value);
                continue;
            }
            foreach (var b in utf8[..rune.EncodeToUtf8(utf8)]) local.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
        }
        return local.ToString();
    }
}

/// <summary>The authorization policies of the pages: the cookie scheme, any signed-in user, and the roles of a
/// folder. A user without them is sent to <c>/denied</c>, which answers 403.</summary>
public static class PagesAuthorization
{
    public const string Reception = "pages-reception";
    public const string Supervision = "pages-supervision";

    /// <summary>The supervision orders: the boards' readers, and the units' handlers for their own unit's orders.</summary>
    public const string SupervisionOrders = "pages-supervision-orders";
    public const string Reports = "pages-reports";
    public const string Petitions = "pages-petitions";
    public const string Admin = "pages-admin";
    public const string Jobs = "pages-jobs";

    public static void AddPagePolicies(this AuthorizationOptions options)
    {
        options.AddPolicy(SessionEndpoints.PagesPolicy, ForRoles());
        options.AddPolicy(Reception, ForRoles(Role.Reception, Role.Office));
        options.AddPolicy(Supervision, ForRoles(Role.Supervisor, Role.Leader, Role.Office));
        options.AddPolicy(SupervisionOrders, ForRoles(Role.Supervisor, Role.Leader, Role.Office, Role.Handler));
        options.AddPolicy(Reports, ForRoles(Workflows.Features.Reports.ReportScope.Readers));
        options.AddPolicy(Petitions, ForRoles(Workflows.Workflow.PetitionScope.Readers));
        options.AddPolicy(Admin, ForRoles(Role.Admin));
        options.AddPolicy(Jobs, ForRoles(Role.Admin, Role.Supervisor)); // the jobs dashboard (Hosting/Scheduling.cs)
    }

    private static AuthorizationPolicy ForRoles(params Role[] roles)
    {
        var policy = new AuthorizationPolicyBuilder(CookieAuthenticationDefaults.AuthenticationScheme).RequireAuthenticatedUser();
        return (roles.Length == 0 ? policy : policy.RequireRole(roles.Select(Codes.Of))).Build();
    }
}
