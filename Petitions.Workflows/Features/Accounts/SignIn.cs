using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Petitions.Domain;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Accounts;

/// <summary>Checks a user's name and password; the API turns the answer into a bearer token.</summary>
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

    public sealed class Handler(DbSession session, IPasswordHasher<UserAccount> hasher) : MediatR.IRequestHandler<Query, Response>
    {
        private sealed record UserRow
        {
            public long Id { get; init; }
            public string UserName { get; init; } = "";
            public string DisplayName { get; init; } = "";
            public string PasswordHash { get; init; } = "";
            public long OrganizationId { get; init; }
            public bool Disabled { get; init; }
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
                       disabled        AS Disabled
                FROM users
                WHERE user_name = @UserName
                """,
                new { query.UserName }, ct);
            // The same answer for an unknown user and a wrong password: a name is not confirmed to a guesser.
            if (user is null || user.Disabled
                || hasher.VerifyHashedPassword(new UserAccount(), user.PasswordHash, query.Password!) == PasswordVerificationResult.Failed)
                throw new UnauthorizedException("The user name or password is wrong.");

            var roles = await session.QueryAsync<string>(
                "SELECT role FROM user_roles WHERE user_id = @UserId ORDER BY role", new { UserId = user.Id }, ct);
            return new Response(user.Id, user.UserName, user.DisplayName, user.OrganizationId, roles.Select(Codes.Parse<Role>).ToArray());
        }
    }
}
