using FluentValidation;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Features.Accounts;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Administration;

/// <summary>An administrator adds an organization under a parent within their own subtree: a bureau with its
/// administrative division code, or a handling unit under a bureau. A parent outside the subtree is not found.</summary>
public static class AddOrganization
{
    public sealed record Command(string? Parent, string? Code, string? Name, string? Kind, Actor Actor) : ICommand<Organization>
    {
        string? ICommandRequest.AuditCaseNumber => null;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Parent).NotEmpty().MaximumLength(32).WithMessage("Name the parent organization by its code.");
            RuleFor(c => c.Code).NotEmpty().Matches("^[0-9A-Za-z-]{2,32}$").WithMessage("A code is 2 to 32 letters, digits or dashes.");
            RuleFor(c => c.Name).NotEmpty().MaximumLength(200);
            RuleFor(c => c.Kind).IsOneOf(Codes.All<OrganizationKind>(), "kind");
        }
    }

    public sealed class Handler(AccountStore accounts, DbSession session) : IRequestHandler<Command, Organization>
    {
        public async Task<Organization> Handle(Command command, CancellationToken ct)
        {
            var admin = await AdministeredTree.OfAsync(accounts, command.Actor, ct);
            var kind = Codes.Parse<OrganizationKind>(command.Kind!);
            var parent = await admin.OrganizationAsync(command.Parent!, ct);
            // The tree's order: province → city → county → unit; a unit sits under a bureau.
            var expectedParent = kind switch
            {
                OrganizationKind.Province => (OrganizationKind?)null,
                OrganizationKind.City => OrganizationKind.Province,
                OrganizationKind.County => OrganizationKind.City,
                _ => null,
            };
            var parentKind = parent.Ref.Kind;
            var fits = kind == OrganizationKind.Unit ? parentKind is not OrganizationKind.Unit : parentKind == expectedParent;
            if (!fits) throw new RuleViolationException("organization-tree", $"A {Codes.Of(kind)} cannot sit under {parent.Name}.");
            try
            {
                return await accounts.AddOrganizationAsync(parent, command.Code!, command.Name!.Trim(), kind, ct);
            }
            catch (Exception e) when (session.Dialect.IsUniqueViolation(e))
            {
                throw new RuleViolationException("code-taken", $"The code '{command.Code}' is already used.");
            }
        }
    }
}

/// <summary>
/// An administrator adds a user to an organization of their own subtree, with roles and a first password. A grant never
/// reaches beyond the administrator: the organization must be theirs or below it (else it is not found), and the roles
/// must fit its level — a handling unit's users are handlers, a bureau's users take the other roles.
/// </summary>
public static class AddUser
{
    public sealed record Command(string? UserName, string? DisplayName, string? Password, string? Organization, IReadOnlyList<string>? Roles, Actor Actor)
        : ICommand<AccountStore.UserView>
    {
        string? ICommandRequest.AuditCaseNumber => null;
        public override string ToString() => nameof(AddUser); // the password stays out of logs
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.UserName).NotEmpty().Matches("^[a-z0-9._-]{2,64}$").WithMessage("A user name is 2 to 64 lower-case letters, digits, dots, dashes or underscores.");
            RuleFor(c => c.DisplayName).NotEmpty().MaximumLength(100);
            RuleFor(c => c.Password).NotEmpty().MinimumLength(ChangePassword.MinLength).MaximumLength(200);
            RuleFor(c => c.Organization).NotEmpty();
            RuleFor(c => c.Roles).NotEmpty();
            RuleForEach(c => c.Roles).IsOneOf(Codes.All<Role>(), "roles");
        }
    }

    public sealed class Handler(AccountStore accounts, DbSession session) : IRequestHandler<Command, AccountStore.UserView>
    {
        public async Task<AccountStore.UserView> Handle(Command command, CancellationToken ct)
        {
            var admin = await AdministeredTree.OfAsync(accounts, command.Actor, ct);
            var organization = await admin.OrganizationAsync(command.Organization!, ct);
            var roles = command.Roles!.Select(Codes.Parse<Role>).Distinct().ToList();
            RequireRolesFit(roles, organization.Ref.Kind);
            try
            {
                await accounts.AddUserAsync(command.UserName!, command.DisplayName!.Trim(), command.Password!, organization, roles, ct);
            }
            catch (Exception e) when (session.Dialect.IsUniqueViolation(e))
            {
                throw new RuleViolationException("user-name-taken", $"The user name '{command.UserName}' is already used.");
            }
            return (await accounts.UsersAsync(organization.Path, ct)).Single(u => u.UserName == command.UserName);
        }

        public static bool RoleFits(Role role, OrganizationKind kind) => (role == Role.Handler) == (kind == OrganizationKind.Unit);

        /// <summary>Refuses roles that do not fit the level of the user's organization (rule <c>role-level</c>).</summary>
        public static void RequireRolesFit(IEnumerable<Role> roles, OrganizationKind kind)
        {
            var misfits = string.Join(", ", roles.Where(role => !RoleFits(role, kind)).Select(Codes.Of));
            if (misfits.Length > 0)
                throw new RuleViolationException("role-level", kind == OrganizationKind.Unit
                    ? $"A handling unit's users are handlers; {misfits} belong to a bureau."
                    : $"{misfits} belongs to a handling unit, not to a bureau.");
        }
    }
}

/// <summary>An administrator disables (or enables again) a user of their own subtree; either ends the user's sessions
/// at once. A user elsewhere is not found; nobody disables their own account.</summary>
public static class SetUserDisabled
{
    public sealed record Command(string UserName, bool Disabled, Actor Actor) : ICommand<bool>
    {
        string? ICommandRequest.AuditCaseNumber => null;
    }

    public sealed class Handler(AccountStore accounts) : IRequestHandler<Command, bool>
    {
        public async Task<bool> Handle(Command command, CancellationToken ct)
        {
            var admin = await AdministeredTree.OfAsync(accounts, command.Actor, ct);
            var userId = await admin.OtherUserAsync(command.UserName, "own-account", "Administrators do not disable or enable their own account.", ct);
            await accounts.SetDisabledAsync(userId, command.Disabled, ct);
            return command.Disabled;
        }
    }
}

/// <summary>The users and organizations of the administrator's subtree.</summary>
public static class ListAccounts
{
    public sealed record Query(Actor Actor) : IQuery<Response>;

    public sealed record Response(IReadOnlyList<Organization> Organizations, IReadOnlyList<AccountStore.UserView> Users);

    public sealed class Handler(AccountStore accounts) : IRequestHandler<Query, Response>
    {
        public async Task<Response> Handle(Query query, CancellationToken ct)
        {
            var admin = await AdministeredTree.OfAsync(accounts, query.Actor, ct);
            return new Response(await accounts.OrganizationsAsync(admin.Root.Path, ct), await accounts.UsersAsync(admin.Root.Path, ct));
        }
    }
}
