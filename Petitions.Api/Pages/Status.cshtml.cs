using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Net.Http.Headers;

namespace Petitions.Api.Pages;

/// <summary>
/// What a person at the pages sees instead of a bare error status or a problem document: the status in words, what to
/// do next and the way home (docs/decisions/0026). Reached only by re-executing a page request that ended in an error
/// (<see cref="IsPageRequest"/>); asked for directly it is not found. The answer keeps the original status. It reads
/// neither the sign-in cookie nor the database, so it also shows when the database is what failed.
/// </summary>
[IgnoreAntiforgeryToken] // a form refused for its token comes here with that token
public sealed class StatusModel : PageModel
{
    public int Code { get; private set; }

    /// <summary>The request was for the petitioners' site (submission, progress): its links lead back there, not to
    /// the staff's sign-in.</summary>
    public bool Public { get; private set; }

    /// <summary>The request's trace id, for a 500: the error is logged under it.</summary>
    public string TraceId => HttpContext.TraceIdentifier;

    public IActionResult OnGet(int code) => Show(code);

    public IActionResult OnPost(int code) => Show(code);

    private IActionResult Show(int code)
    {
        if (HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not { } original) return NotFound();
        Code = code;
        Public = PublicPaths.Any(p => new PathString(original.OriginalPath).StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));
        return Page();
    }

    /// <summary>The key of the words for this status: the common ones by name, any other 4xx or 5xx as such.</summary>
    public string Key(string part) => $"Status.{Code switch
    {
        400 or 403 or 404 or 405 or 413 or 429 or 500 or 503 => Code.ToString(System.Globalization.CultureInfo.InvariantCulture),
        < 500 => "4xx",
        _ => "5xx",
    }}.{part}";

    private static readonly string[] PublicPaths = ["/progress", "/submit"];

    /// <summary>A browser's request for a page: it accepts HTML, and is not for the API (whose clients get problems).</summary>
    public static bool IsPageRequest(HttpContext context) =>
        !context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        && context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    /// <summary>An error of a page request that this page will show: the status pages are on and this is not already a
    /// re-execution (an error of the status page itself is answered as a problem).</summary>
    public static bool WillShow(HttpContext context) =>
        IsPageRequest(context)
        && context.Features.Get<IStatusCodePagesFeature>() is { Enabled: true }
        && context.Features.Get<IStatusCodeReExecuteFeature>() is null;
}
