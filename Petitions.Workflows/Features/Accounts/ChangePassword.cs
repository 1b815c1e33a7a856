using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Identity;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Accounts;

/// <summary>A signed-in user changes their own password, giving the current one.</summary>
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
            RuleFor(c => c.CurrentPassword).NotEmpty();
            RuleFor(c => c.NewPassword).NotEmpty().MinimumLength(MinLength).MaximumLength(200)
                .NotEqual(c => c.CurrentPassword).WithMessage("The new password must differ from the current one.");
        }
    }

    public sealed class Handler(DbSession session, AccountStore accounts, IPasswordHasher<UserAccount> hasher) : IRequestHandler<Command, bool>
    {
        public async Task<bool> Handle(Command command, CancellationToken ct)
        {
            var userId = command.Actor.UserId ?? throw new UnauthorizedException("Sign in first.");
            var hash = await session.ScalarAsync<string>("SELECT password_hash FROM users WHERE id = @UserId", new { UserId = userId }, ct);
            if (hash is null || hasher.VerifyHashedPassword(new UserAccount(), hash, command.CurrentPassword!) == PasswordVerificationResult.Failed)
                throw new ValidationException([new FluentValidation.Results.ValidationFailure("currentPassword", "The current password is wrong.")]);
            await accounts.SetPasswordAsync(userId, command.NewPassword!, ct);
            return true;
        }
    }
}
