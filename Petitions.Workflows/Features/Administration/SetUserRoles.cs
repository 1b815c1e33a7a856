using FluentValidation;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Administration;

/// <summary>
/// An administrator gives a user of their own subtree other roles (a post changes hands, a desk clerk joins the petition
/// office). The roles must fit the user's organization as on <see cref="AddUser"/>; the user's sessions end, since a
/// token carries the roles it was issued with. A user elsewhere is not found; nobody changes their own roles, so an
/// administrator cannot take away the role that lets them be corrected.
/// </summary>
public static class SetUserRoles
{
    public sealed record Command(string UserName, IReadOnlyList<string>? Roles, Actor Actor) : ICommand<bool>
    {
        string? ICommandRequest.AuditCaseNumber => null;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Roles).NotEmpty();
            RuleForEach(c => c.Roles).IsOneOf(Codes.All<Role>(), "roles");
        }
    }

    public sealed class Handler(AccountStore accounts) : IRequestHandler<Command, bool>
    {
        public async Task<bool> Handle(Command command, CancellationToken ct)
        {
            var admin = await AdministeredTree.OfAsync(accounts, command.Actor, ct);
            var userId = await admin.OtherUserAsync(command.UserName, "own-roles", "Administrators do not change their own roles.", ct);
            var organization = await accounts.OrganizationOfUserAsync(userId, ct);
            var roles = command.Roles!.Select(Codes.Parse<Role>).Distinct().ToList();
            AddUser.Handler.RequireRolesFit(roles, organization.Ref.Kind);
            await accounts.SetRolesAsync(userId, roles, ct);
            return true;
        }
    }
}
