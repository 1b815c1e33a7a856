using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Petitions.Domain;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Accounts;

/// <summary>
/// Checks a user's name and password; the API turns the answer into a bearer token or the pages' cookie, which carry
/// the user's security stamp. Repeated wrong passwords lock the account for a while (<see cref="AccountOptions"/>);
/// every attempt is in the audit log with its reason.
/// </summary>
public static class SignIn
{
    /// <summary>The one answer to every refusal: an unknown name, a wrong password, a locked or a disabled account.</summary>
    public const string Refused = "The user name or password is wrong, or the account is locked or disabled.";

    public sealed record Query(string? UserName, string? Password) : IQuery<Response>
    {
        public override string ToString() => nameof(SignIn); // the password stays out of logs
    }

    public sealed record Response(long UserId, string UserName, string DisplayName, long OrganizationId, IReadOnlyList<Role> Roles, long SecurityStamp);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.UserName).NotEmpty().MaximumLength(64);
            RuleFor(q => q.Password).NotEmpty().MaximumLength(200);
        }
    }

    public sealed class Handler(
        DbSession session, AccountStore accounts, IPasswordHasher<UserAccount> hasher, AuditLog audit, IOptions<AccountOptions> options, TimeProvider time)
        : MediatR.IRequestHandler<Query, Response>
    {
        /// <summary>What an unknown name's password is checked against, so that it costs what a known name's does.</summary>
        private static string? _unknownUserHash;

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
            public long SecurityStamp { get; init; }
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
                       locked_until    AS LockedUntil,
                       security_stamp  AS SecurityStamp
                FROM users
                WHERE user_name = @UserName
                """,
                new { query.UserName }, ct);
            var actor = user is null ? Actor.Public : new Actor(user.Id, user.OrganizationId, new HashSet<Role>());

            // Every refusal does the same work (the password checked, the failure counted, the attempt audited) and gets
            // the same answer: neither its words nor its time tell a guesser whether a name exists, whether the account is
            // locked or disabled, or whether the password was right.
            var hash = user?.PasswordHash ?? (_unknownUserHash ??= hasher.HashPassword(new UserAccount(), Guid.NewGuid().ToString()));
            var passwordRight = hasher.VerifyHashedPassword(new UserAccount(), hash, query.Password!) != PasswordVerificationResult.Failed;
            var refusal = user is null ? "wrong-credentials"
                : user.LockedUntil > time.GetUtcNow() ? "locked"
                : !passwordRight ? "wrong-credentials"
                : user.Disabled ? "disabled"
                : null;
            if (refusal is not null)
            {
                await accounts.RecordFailedSignInAsync(user?.Id, options.Value, ct);
                await audit.AppendAsync(actor, "sign-in", null, refusal, null, ct);
                throw new UnauthorizedException(Refused);
            }
            if (user!.FailedLogins > 0 || user.LockedUntil is not null)
                await session.ExecuteAsync("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = @Id", new { user.Id }, ct);
            await audit.AppendAsync(actor, "sign-in", null, "ok", null, ct);

            var roles = await session.QueryAsync<string>(
                "SELECT role FROM user_roles WHERE user_id = @UserId ORDER BY role", new { UserId = user.Id }, ct);
            return new Response(user.Id, user.UserName, user.DisplayName, user.OrganizationId, roles.Select(Codes.Parse<Role>).ToArray(), user.SecurityStamp);
        }
    }
}
