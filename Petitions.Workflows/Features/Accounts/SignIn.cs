using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Petitions.Domain;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Accounts;

/// <summary>
/// Checks a user's name and password; the API turns the answer into a bearer token. Repeated wrong passwords lock the
/// account for a while (<see cref="AccountOptions"/>); every attempt is in the audit log.
/// </summary>
public static class SignIn
{
    public sealed record Query(string? UserName, string? Password) : IQuery<Response>
    {
        public override string ToString() => nameof(SignIn); // the password stays out of logs
    }

    public sealed record Response(long UserId, string UserName, string DisplayName, long OrganizationId, IReadOnlyList<Role> Roles);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.UserName).NotEmpty().MaximumLength(64);
            RuleFor(q => q.Password).NotEmpty().MaximumLength(200);
        }
    }

    public sealed class Handler(DbSession session, IPasswordHasher<UserAccount> hasher, AuditLog audit, IOptions<AccountOptions> options, TimeProvider time)
        : MediatR.IRequestHandler<Query, Response>
    {
        private sealed record UserRow
        {
            public long Id { get; init; }
            public string UserName { get; init; } = "";
            public string DisplayName { get; init; } = "";
            public string PasswordHash { get; init; } = "";
            public long OrganizationId { get; init; }
            public bool Disabled { get; init; }
            public int FailedLogins { get; init; }
            public DateTimeOffset? LockedUntil { get; init; }
        }

        public async Task<Response> Handle(Query query, CancellationToken ct)
        {
            var user = await session.QuerySingleOrDefaultAsync<UserRow>(
                """
                SELECT id              AS Id,
                       user_name       AS UserName,
                       display_name    AS DisplayName,
                       password_hash   AS PasswordHash,
                       organization_id AS OrganizationId,
                       disabled        AS Disabled,
                       failed_logins   AS FailedLogins,
                       locked_until    AS LockedUntil
                FROM users
                WHERE user_name = @UserName
                """,
                new { query.UserName }, ct);
            var now = time.GetUtcNow();
            var actor = user is null ? Actor.Public : new Actor(user.Id, user.OrganizationId, new HashSet<Role>());
            if (user?.LockedUntil > now)
            {
                await audit.AppendAsync(actor, "sign-in", null, "locked", null, ct);
                throw new UnauthorizedException("The account is locked after repeated wrong passwords; try again later or ask an administrator.");
            }
            // The same answer for an unknown user and a wrong password: a name is not confirmed to a guesser.
            if (user is null || hasher.VerifyHashedPassword(new UserAccount(), user.PasswordHash, query.Password!) == PasswordVerificationResult.Failed)
            {
                if (user is not null)
                {
                    var max = options.Value.MaxFailedLogins;
                    await session.ExecuteAsync(
                        """
                        UPDATE users
                        SET failed_logins = failed_logins + 1,
                            locked_until  = CASE WHEN failed_logins + 1 >= @Max THEN @LockUntil ELSE NULL END
                        WHERE id = @Id
                        """,
                        new { user.Id, Max = max, LockUntil = now + options.Value.LockoutDuration }, ct);
                }
                await audit.AppendAsync(actor, "sign-in", null, "wrong-credentials", null, ct);
                throw new UnauthorizedException("The user name or password is wrong.");
            }
            if (user.Disabled)
            {
                await audit.AppendAsync(actor, "sign-in", null, "disabled", null, ct);
                throw new UnauthorizedException("This account is disabled.");
            }
            if (user.FailedLogins > 0 || user.LockedUntil is not null)
                await session.ExecuteAsync("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = @Id", new { user.Id }, ct);
            await audit.AppendAsync(actor, "sign-in", null, "ok", null, ct);

            var roles = await session.QueryAsync<string>(
                "SELECT role FROM user_roles WHERE user_id = @UserId ORDER BY role", new { UserId = user.Id }, ct);
            return new Response(user.Id, user.UserName, user.DisplayName, user.OrganizationId, roles.Select(Codes.Parse<Role>).ToArray());
        }
    }
}
