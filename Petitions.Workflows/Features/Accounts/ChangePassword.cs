using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Accounts;

/// <summary>
/// A signed-in user changes their own password, giving the current one. The change ends every session of the user,
/// this one included (docs/decisions/0008). A wrong current password counts toward the lockout as a wrong sign-in
/// does, so a stolen session cannot guess it freely; a locked account cannot change its password.
/// </summary>
public static class ChangePassword
{
    public const int MinLength = 10;

    public sealed record Command(string? CurrentPassword, string? NewPassword, Actor Actor) : ICommand<bool>
    {
        string? ICommandRequest.AuditCaseNumber => null;
        public override string ToString() => nameof(ChangePassword); // passwords stay out of logs
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.CurrentPassword).NotEmpty().MaximumLength(200);
            RuleFor(c => c.NewPassword).NotEmpty().MinimumLength(MinLength).MaximumLength(200)
                .NotEqual(c => c.CurrentPassword).WithMessage("The new password must differ from the current one.");
        }
    }

    public sealed class Handler(
        DbSession session, AccountStore accounts, IPasswordHasher<UserAccount> hasher, IOptions<AccountOptions> options, TimeProvider time)
        : IRequestHandler<Command, bool>
    {
        private sealed record UserRow
        {
            public string PasswordHash { get; init; } = "";
            public DateTimeOffset? LockedUntil { get; init; }
        }

        public async Task<bool> Handle(Command command, CancellationToken ct)
        {
            var userId = command.Actor.UserId ?? throw new UnauthorizedException("Sign in first.");
            var user = await session.QuerySingleOrDefaultAsync<UserRow>(
                """
                SELECT password_hash AS PasswordHash,
                       locked_until  AS LockedUntil
                FROM users
                WHERE id = @UserId
                """,
                new { UserId = userId }, ct) ?? throw new UnauthorizedException("Sign in first.");
            // A refusal is counted as a refused sign-in is (the lock, once there, stands as it is), after this command's
            // rollback, in a transaction of its own.
            var locked = user.LockedUntil > time.GetUtcNow();
            if (locked || hasher.VerifyHashedPassword(new UserAccount(), user.PasswordHash, command.CurrentPassword!) == PasswordVerificationResult.Failed)
            {
                session.AfterRollback(ct => accounts.RecordFailedSignInAsync(userId, options.Value, ct));
                throw Refused(locked ? "The account is locked after repeated wrong passwords; try again later." : "The current password is wrong.");
            }
            await accounts.SetPasswordAsync(userId, command.NewPassword!, ct);
            return true;
        }

        private static ValidationException Refused(string message) =>
            new([new FluentValidation.Results.ValidationFailure(nameof(Command.CurrentPassword), message)]);
    }
}
