using Petitions.Domain;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Administration;

/// <summary>
/// The part of the tree an administrator keeps: their own organization and everything below it. Every administrative
/// read and write goes through it; an organization elsewhere is answered as one that does not exist.
/// </summary>
public sealed class AdministeredTree
{
    private readonly AccountStore _accounts;
    private readonly Actor _administrator;

    private AdministeredTree(AccountStore accounts, Actor administrator, Organization root)
    {
        _accounts = accounts;
        _administrator = administrator;
        Root = root;
    }

    public Organization Root { get; }

    /// <summary>Whether the administrator sits at the root of the whole tree (the province): what is national is theirs.</summary>
    public bool IsWholeTree => Root.ParentId is null;

    public static async Task<AdministeredTree> OfAsync(AccountStore accounts, Actor actor, CancellationToken ct)
    {
        actor.Require(Role.Admin);
        var root = actor.OrganizationId is { } id ? await accounts.OrganizationAsync(id, ct) : null;
        return root is null ? throw new ForbiddenException("Your account belongs to no organization.") : new AdministeredTree(accounts, actor, root);
    }

    public bool Contains(string path) => Root.IsAtOrAbove(path);

    /// <summary>An organization of this tree by its code.</summary>
    public async Task<Organization> OrganizationAsync(string code, CancellationToken ct) =>
        await _accounts.OrganizationByCodeAsync(code, ct) is { } organization && Contains(organization.Path)
            ? organization
            : throw new NotFoundException($"There is no organization '{code}' within your reach.");

    /// <summary>The id of a user of this tree other than the administrator: one elsewhere is not found, and the
    /// administrator's own account is refused with <paramref name="ownRule"/> (they go another way about their own).</summary>
    public async Task<long> OtherUserAsync(string userName, string ownRule, string ownMessage, CancellationToken ct)
    {
        var userId = await _accounts.UserIdAsync(userName, Root.Path, ct)
            ?? throw new NotFoundException($"There is no user '{userName}' within your reach.");
        return userId == _administrator.UserId ? throw new RuleViolationException(ownRule, ownMessage) : userId;
    }
}
