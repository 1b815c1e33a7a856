using Petitions.Domain;

namespace Petitions.Workflows;

/// <summary>Who sends a request: a signed-in user with their organization and roles, or the public.</summary>
public sealed record Actor(long? UserId, long? OrganizationId, IReadOnlySet<Role> Roles)
{
    public static Actor Public { get; } = new(null, null, new HashSet<Role>());

    public bool IsStaff => UserId is not null;

    public bool HasAny(params Role[] roles) => roles.Any(Roles.Contains);

    /// <summary>Throws <see cref="ForbiddenException"/> unless the actor holds one of the roles.</summary>
    public void Require(params Role[] roles)
    {
        if (!HasAny(roles))
            throw new ForbiddenException($"This needs one of the roles: {string.Join(", ", roles.Select(Codes.Of))}.");
    }
}
