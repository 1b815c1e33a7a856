using FluentValidation;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Features.Accounts;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Administration;

/// <summary>
/// An administrator gives a user of their own subtree a new password (forgotten, or handed over when an officer leaves
/// a post): it clears a lockout, and the user's sessions end with the old password. A user elsewhere is not found.
/// Administrators change their own password with the current one (<see cref="ChangePassword"/>), not here.
/// </summary>
public static class ResetPassword
{
    public sealed record Command(string UserName, string? NewPassword, Actor Actor) : ICommand<bool>
    {
        string? ICommandRequest.AuditCaseNumber => null;
        public override string ToString() => nameof(ResetPassword); // the password stays out of logs
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.NewPassword).NotEmpty().MinimumLength(ChangePassword.MinLength).MaximumLength(200);
    }

    public sealed class Handler(AccountStore accounts) : IRequestHandler<Command, bool>
    {
        public async Task<bool> Handle(Command command, CancellationToken ct)
        {
            var admin = await AdministeredTree.OfAsync(accounts, command.Actor, ct);
            var userId = await admin.OtherUserAsync(command.UserName, "own-password", "Administrators change their own password with the current one.", ct);
            // SetPasswordAsync raises the user's security stamp: their tokens and cookies end with the old password.
            await accounts.SetPasswordAsync(userId, command.NewPassword!, ct);
            return true;
        }
    }
}
