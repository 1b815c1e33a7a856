using System.Globalization;
using System.Security.Claims;
using Petitions.Domain;
using Petitions.Workflows;
using Petitions.Workflows.Features.Accounts;
using Petitions.Workflows.Storage;

namespace Petitions.Api.Http;

/// <summary>The claims a token or the pages' cookie carries, and the <see cref="Actor"/> read back from them.</summary>
public static class Claims
{
    public const string Organization = "org";

    /// <summary>The user's security stamp when the session began: the session lasts while it is the user's.</summary>
    public const string SecurityStamp = "stamp";

    public static ClaimsPrincipal Principal(SignIn.Response user, string scheme) =>
        new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.UserId.ToString(CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, user.UserName),
            new Claim(Organization, user.OrganizationId.ToString(CultureInfo.InvariantCulture)),
            new Claim(SecurityStamp, user.SecurityStamp.ToString(CultureInfo.InvariantCulture)),
            .. user.Roles.Select(r => new Claim(ClaimTypes.Role, Codes.Of(r))),
        ], scheme));

    public static Actor Actor(this ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true) return Workflows.Actor.Public;
        var roles = principal.FindAll(ClaimTypes.Role)
            .Select(c => Codes.TryParse<Role>(c.Value, out var role) ? role : (Role?)null)
            .OfType<Role>()
            .ToHashSet();
        return new Workflows.Actor(
            long.Parse(principal.FindFirstValue(ClaimTypes.NameIdentifier)!, CultureInfo.InvariantCulture),
            long.Parse(principal.FindFirstValue(Organization)!, CultureInfo.InvariantCulture),
            roles);
    }

    /// <summary>
    /// Whether a signed-in principal's session is still its user's (<see cref="SecurityStamps"/>); a session issued
    /// before stamps existed carries none and has ended.
    /// </summary>
    public static async Task<bool> IsCurrentSessionAsync(this ClaimsPrincipal principal, HttpContext http)
    {
        if (principal.Actor().UserId is not { } userId) return true;
        return long.TryParse(principal.FindFirstValue(SecurityStamp), NumberStyles.None, CultureInfo.InvariantCulture, out var stamp)
            && await http.RequestServices.GetRequiredService<SecurityStamps>().IsCurrentAsync(userId, stamp, http.RequestAborted);
    }
}
