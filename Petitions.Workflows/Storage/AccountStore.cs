using Microsoft.AspNetCore.Identity;
using Petitions.Domain;
using Petitions.Workflows.Features.Accounts;

namespace Petitions.Workflows.Storage;

/// <summary>The type the password hasher is keyed on; users are rows, not objects.</summary>
public sealed class UserAccount;

public sealed record Organization(long Id, long? ParentId, string Code, string Name, string Kind, string Path)
{
    public OrganizationRef Ref => new(Id, ParentId, Codes.Parse<OrganizationKind>(Kind), Name, Path);

    /// <summary>Whether this organization is <paramref name="other"/> or above it in the tree.</summary>
    public bool IsAtOrAbove(string otherPath) => otherPath.StartsWith(Path, StringComparison.Ordinal);
}

/// <summary>
/// The organizations this instance has read, by id. What a record holds (parent, code, name, kind, path) never changes
/// once the row is written, so an action's three lookups (the actor's, the deciding office's, the bureau's) need no
/// statement after the first time. Only rows read outside a transaction, or in one that committed, are kept.
/// </summary>
public sealed class OrganizationCache
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, Organization> _byId = new();

    public bool TryGet(long id, out Organization organization) => _byId.TryGetValue(id, out organization!);

    public void Keep(Organization organization) => _byId.TryAdd(organization.Id, organization);
}

/// <summary>Organizations and users: the rows behind sign-in, scope and the demo data.</summary>
public sealed class AccountStore(DbSession session, IPasswordHasher<UserAccount> hasher, SecurityStamps stamps, TimeProvider time, OrganizationCache cache)
{
    private const string SelectOrganization = """
        SELECT id        AS Id,
               parent_id AS ParentId,
               code      AS Code,
               name      AS Name,
               kind      AS Kind,
               path      AS Path
        FROM organizations
        """;

    public async Task<Organization?> OrganizationAsync(long id, CancellationToken ct)
    {
        if (cache.TryGet(id, out var known)) return known;
        var organization = await session.QuerySingleOrDefaultAsync<Organization>($"{SelectOrganization}\nWHERE id = @Id", new { Id = id }, ct);
        if (organization is not null) session.AfterCommit(() => cache.Keep(organization));
        return organization;
    }

    public Task<Organization?> OrganizationByCodeAsync(string code, CancellationToken ct) =>
        session.QuerySingleOrDefaultAsync<Organization>($"{SelectOrganization}\nWHERE code = @Code", new { Code = code }, ct);

    /// <summary>Adds an organization under its parent; its path is the parent's path and its own code.</summary>
    public async Task<Organization> AddOrganizationAsync(Organization? parent, string code, string name, OrganizationKind kind, CancellationToken ct)
    {
        var path = $"{parent?.Path ?? "/"}{code}/";
        var id = await session.ScalarAsync<long>(
            session.Dialect.InsertReturningId(
                "INSERT INTO organizations (parent_id, code, name, kind, path)",
                "VALUES (@ParentId, @Code, @Name, @Kind, @Path)"),
            new { ParentId = parent?.Id, Code = code, Name = name, Kind = Codes.Of(kind), Path = path }, ct);
        return new Organization(id, parent?.Id, code, name, Codes.Of(kind), path);
    }

    public async Task<long> AddUserAsync(
        string userName, string displayName, string password, Organization organization, IEnumerable<Role> roles, CancellationToken ct)
    {
        var id = await session.ScalarAsync<long>(
            session.Dialect.InsertReturningId(
                "INSERT INTO users (user_name, display_name, password_hash, organization_id, disabled, created_at)",
                "VALUES (@UserName, @DisplayName, @PasswordHash, @OrganizationId, @Disabled, @CreatedAt)"),
            new
            {
                UserName = userName,
                DisplayName = displayName,
                PasswordHash = hasher.HashPassword(new UserAccount(), password),
                OrganizationId = organization.Id,
                Disabled = false,
                CreatedAt = time.GetUtcNow(),
            },
            ct);
        await InsertRolesAsync(id, roles, ct);
        return id;
    }

    /// <summary>Gives a user these roles in place of theirs, ending their sessions: a token carries the roles it was
    /// issued with.</summary>
    public async Task SetRolesAsync(long userId, IEnumerable<Role> roles, CancellationToken ct)
    {
        await session.ExecuteAsync("DELETE FROM user_roles WHERE user_id = @UserId", new { UserId = userId }, ct);
        await InsertRolesAsync(userId, roles, ct);
        await EndSessionsAsync(userId, ct);
    }

    private Task InsertRolesAsync(long userId, IEnumerable<Role> roles, CancellationToken ct) =>
        session.ExecuteAsync(
            "INSERT INTO user_roles (user_id, role) VALUES (@UserId, @Role)",
            roles.Select(r => new { UserId = userId, Role = Codes.Of(r) }), ct);

    /// <summary>The organization a user belongs to.</summary>
    public async Task<Organization> OrganizationOfUserAsync(long userId, CancellationToken ct) =>
        await session.QuerySingleOrDefaultAsync<Organization>(
            $"{SelectOrganization}\nWHERE id = (SELECT organization_id FROM users WHERE id = @UserId)", new { UserId = userId }, ct)
        ?? throw new InvalidOperationException($"User {userId} has no organization.");

    /// <summary>A user as administrators see it.</summary>
    public sealed record UserView(string UserName, string DisplayName, string Organization, IReadOnlyList<string> Roles, bool Disabled, DateTimeOffset? LockedUntil);

    private sealed record UserRow
    {
        public long Id { get; init; }
        public string UserName { get; init; } = "";
        public string DisplayName { get; init; } = "";
        public string Organization { get; init; } = "";
        public bool Disabled { get; init; }
        public DateTimeOffset? LockedUntil { get; init; }
    }

    private sealed record RoleRow
    {
        public long UserId { get; init; }
        public string Role { get; init; } = "";
    }

    public async Task<IReadOnlyList<UserView>> UsersAsync(string scopePath, CancellationToken ct)
    {
        var users = await session.QueryAsync<UserRow>(
            """
            SELECT u.id           AS Id,
                   u.user_name    AS UserName,
                   u.display_name AS DisplayName,
                   o.code         AS Organization,
                   u.disabled     AS Disabled,
                   u.locked_until AS LockedUntil
            FROM users u
            JOIN organizations o ON o.id = u.organization_id
            WHERE o.path LIKE @ScopePrefix
            ORDER BY u.user_name
            """,
            new { ScopePrefix = scopePath + "%" }, ct);
        var roles = (await session.QueryAsync<RoleRow>(
            """
            SELECT r.user_id AS UserId,
                   r.role    AS Role
            FROM user_roles r
            JOIN users u ON u.id = r.user_id
            JOIN organizations o ON o.id = u.organization_id
            WHERE o.path LIKE @ScopePrefix
            ORDER BY r.role
            """,
            new { ScopePrefix = scopePath + "%" }, ct)).ToLookup(r => r.UserId, r => r.Role);
        return users.Select(u => new UserView(u.UserName, u.DisplayName, u.Organization, roles[u.Id].ToList(), u.Disabled, u.LockedUntil)).ToList();
    }

    public Task<IReadOnlyList<Organization>> OrganizationsAsync(string scopePath, CancellationToken ct) =>
        session.QueryAsync<Organization>($"{SelectOrganization}\nWHERE path LIKE @ScopePrefix\nORDER BY path", new { ScopePrefix = scopePath + "%" }, ct);

    /// <summary>The organizations below the one at <paramref name="scopePath"/> whose name or code the written words may
    /// mean (<see cref="UnitNames.Resembles"/>).</summary>
    public async Task<IReadOnlyList<Organization>> ResemblingAsync(string scopePath, string written, CancellationToken ct) =>
        (await OrganizationsAsync(scopePath, ct)).Where(o => o.Path != scopePath && UnitNames.Resembles(written, o.Name, o.Code)).ToList();

    /// <summary>The id of a user of the subtree at <paramref name="scopePath"/>, or null when there is none there.</summary>
    public Task<long?> UserIdAsync(string userName, string scopePath, CancellationToken ct) =>
        session.QuerySingleOrDefaultAsync<long?>(
            """
            SELECT u.id
            FROM users u
            JOIN organizations o ON o.id = u.organization_id
            WHERE u.user_name = @UserName
              AND o.path LIKE @ScopePrefix
            """,
            new { UserName = userName, ScopePrefix = scopePath + "%" }, ct);

    /// <summary>A user by name as a candidate officer (承办人), wherever they work; null when there is none.</summary>
    public async Task<OfficerCandidate?> OfficerCandidateAsync(string userName, CancellationToken ct) =>
        await session.QuerySingleOrDefaultAsync<CandidateRow>(
            """
            SELECT u.id              AS UserId,
                   u.display_name    AS Name,
                   u.organization_id AS OrganizationId,
                   o.path            AS OrganizationPath,
                   CASE WHEN EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = @Handler) THEN 1 ELSE 0 END AS Handler,
                   u.disabled        AS Disabled
            FROM users u
            JOIN organizations o ON o.id = u.organization_id
            WHERE u.user_name = @UserName
            """,
            new { UserName = userName, Handler = Codes.Of(Role.Handler) }, ct) is { } row
            ? new OfficerCandidate(row.UserId, row.Name, row.OrganizationId, row.OrganizationPath, row.Handler, row.Disabled)
            : null;

    private sealed record CandidateRow
    {
        public long UserId { get; init; }
        public string Name { get; init; } = "";
        public long OrganizationId { get; init; }
        public string OrganizationPath { get; init; } = "";
        public bool Handler { get; init; }
        public bool Disabled { get; init; }
    }

    /// <summary>A user who may be a unit's officer: their id, user name and display name.</summary>
    public sealed record Officer
    {
        public long Id { get; init; }
        public string UserName { get; init; } = "";
        public string DisplayName { get; init; } = "";
    }

    /// <summary>The officers a unit may assign a petition to: its enabled users holding the handler role, by name.</summary>
    public Task<IReadOnlyList<Officer>> OfficersAsync(long unitId, CancellationToken ct) =>
        session.QueryAsync<Officer>(
            """
            SELECT u.id           AS Id,
                   u.user_name    AS UserName,
                   u.display_name AS DisplayName
            FROM users u
            WHERE u.organization_id = @UnitId
              AND u.disabled = @Disabled
              AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = @Handler)
            ORDER BY u.display_name, u.user_name
            """,
            new { UnitId = unitId, Disabled = false, Handler = Codes.Of(Role.Handler) }, ct);

    /// <summary>Disables or enables a user, ending their sessions either way (an enabled user signs in afresh).</summary>
    public async Task SetDisabledAsync(long userId, bool disabled, CancellationToken ct)
    {
        await session.ExecuteAsync(
            """
            UPDATE users
            SET disabled       = @Disabled,
                security_stamp = security_stamp + 1
            WHERE id = @UserId
            """,
            new { UserId = userId, Disabled = disabled }, ct);
        session.AfterCommit(() => stamps.Forget(userId));
    }

    /// <summary>A new password ends every session of the user and clears a lockout.</summary>
    public async Task SetPasswordAsync(long userId, string password, CancellationToken ct)
    {
        await session.ExecuteAsync(
            """
            UPDATE users
            SET password_hash  = @Hash,
                failed_logins  = 0,
                locked_until   = NULL,
                security_stamp = security_stamp + 1
            WHERE id = @UserId
            """,
            new { UserId = userId, Hash = hasher.HashPassword(new UserAccount(), password) }, ct);
        session.AfterCommit(() => stamps.Forget(userId));
    }

    /// <summary>Ends every session of the user: the tokens and cookies issued so far stop working.</summary>
    public async Task EndSessionsAsync(long userId, CancellationToken ct)
    {
        await session.ExecuteAsync("UPDATE users SET security_stamp = security_stamp + 1 WHERE id = @UserId", new { UserId = userId }, ct);
        session.AfterCommit(() => stamps.Forget(userId));
    }

    /// <summary>
    /// Counts a refused sign-in or password change against the user (none for an unknown name, with the same
    /// statement): the failure that reaches <see cref="AccountOptions.MaxFailedLogins"/> in a row locks the account for
    /// <see cref="AccountOptions.LockoutDuration"/>; while it is locked the lock stands as it is.
    /// </summary>
    public Task RecordFailedSignInAsync(long? userId, AccountOptions lockout, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return session.ExecuteAsync(
            """
            UPDATE users
            SET failed_logins = failed_logins + 1,
                locked_until  = CASE
                                    WHEN locked_until > @Now THEN locked_until
                                    WHEN failed_logins + 1 >= @MaxFailedLogins THEN @LockUntil
                                    ELSE NULL
                                END
            WHERE id = @UserId
            """,
            new { UserId = userId, Now = now, lockout.MaxFailedLogins, LockUntil = now + lockout.LockoutDuration }, ct);
    }

    public Task SetContactCardAsync(long organizationId, bool enabled, string? phone, CancellationToken ct) =>
        session.ExecuteAsync(
            "UPDATE organizations SET contact_card = @Enabled, contact_phone = @Phone WHERE id = @Id",
            new { Id = organizationId, Enabled = enabled, Phone = phone }, ct);
}
