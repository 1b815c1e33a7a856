using MediatR;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Accounts;

/// <summary>A user signs out: every session of theirs ends, the pages' cookie and every bearer token, on every device
/// and every instance (docs/decisions/0008). A copy of the cookie or a token stops working with it.</summary>
public static class SignOut
{
    public sealed record Command(Actor Actor) : ICommand<bool>
    {
        string? ICommandRequest.AuditCaseNumber => null;
    }

    public sealed class Handler(AccountStore accounts) : IRequestHandler<Command, bool>
    {
        public async Task<bool> Handle(Command command, CancellationToken ct)
        {
            await accounts.EndSessionsAsync(command.Actor.UserId ?? throw new UnauthorizedException("Sign in first."), ct);
            return true;
        }
    }
}
