using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using MediatR;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Petitions.Api.Http;
using Petitions.Domain;
using Petitions.Workflows;
using Petitions.Workflows.Features.Accounts;

namespace Petitions.Api.Endpoints;

/// <summary>
/// Sign-in for the web pages: a cookie (HttpOnly, SameSite=Strict, <c>Auth:CookieLifetime</c>), issued by a form that
/// carries an antiforgery token. The JSON API takes bearer tokens only, so a cookie can never act on it cross-site.
/// </summary>
public static class SessionEndpoints
{
    public const string PagesPolicy = "pages";

    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public static void MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/login", (HttpContext http, IAntiforgery antiforgery, string? returnUrl, string? failed) =>
                TypedResults.Content(LoginPage(antiforgery.GetAndStoreTokens(http), returnUrl, failed is not null), "text/html; charset=utf-8"))
            .AllowAnonymous()
            .ExcludeFromDescription();

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

    private static string Token(AntiforgeryTokenSet tokens) =>
        $"<input type=\"hidden\" name=\"{Html.Encode(tokens.FormFieldName)}\" value=\"{Html.Encode(tokens.RequestToken ?? "")}\">";

    private static string Page(string title, string body) => $$"""
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{title}}</title>
        <style>body{font-family:sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem} label{display:block;margin-top:1rem} input{width:100%;padding:.5rem;box-sizing:border-box} button{margin-top:1.5rem;padding:.6rem 1.2rem} .error{color:#b00020}</style>
        </head>
        <body>{{body}}</body>
        </html>
        """;

    private static string LoginPage(AntiforgeryTokenSet tokens, string? returnUrl, bool failed) => Page("登录 Sign in", $"""
        <h1>信访业务系统 登录</h1>
        {(failed ? "<p class=\"error\" role=\"alert\">用户名或密码错误，或账户已锁定。 The user name or password is wrong, or the account is locked.</p>" : "")}
        <form method="post" action="/login">
          {Token(tokens)}
          <input type="hidden" name="returnUrl" value="{Html.Encode(LocalOnly(returnUrl))}">
          <label for="userName">用户名 User name</label><input id="userName" name="userName" autocomplete="username" required>
          <label for="password">密码 Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
          <button type="submit">登录 Sign in</button>
        </form>
        """);
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
