using System.Globalization;
using System.Security.Claims;
using Petitions.Domain;
using Petitions.Workflows;
using Petitions.Workflows.Features.Accounts;

namespace Petitions.Api.Http;

/// <summary>The claims a token carries, and the <see cref="Actor"/> read back from them.</summary>
public static class Claims
{
    public const string Organization = "org";

    public static ClaimsPrincipal Principal(SignIn.Response user, string scheme) =>
        new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.UserId.ToString(CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, user.UserName),
            new Claim(Organization, user.OrganizationId.ToString(CultureInfo.InvariantCulture)),
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
}
