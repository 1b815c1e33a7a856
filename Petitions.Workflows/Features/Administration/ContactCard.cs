using FluentValidation;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Administration;

/// <summary>
/// An administrator decides whether a bureau shows petitioners the handling officer's contact card on the progress
/// page, and sets an organization's public office phone (a unit's, or the bureau's as the fallback). Off by default:
/// some bureaus prefer that petitioners go through the reception desk.
/// </summary>
public static class SetContactCard
{
    public sealed record Command(string Organization, bool? Enabled, string? Phone, Actor Actor) : ICommand<Response>
    {
        string? ICommandRequest.AuditCaseNumber => null;
    }

    public sealed record Response(string Organization, bool Enabled, string? Phone);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Enabled).NotNull();
            RuleFor(c => c.Phone).IsPhoneNumber();
        }
    }

    public sealed class Handler(AccountStore accounts) : IRequestHandler<Command, Response>
    {
        public async Task<Response> Handle(Command command, CancellationToken ct)
        {
            var organization = await (await AdministeredTree.OfAsync(accounts, command.Actor, ct)).OrganizationAsync(command.Organization, ct);
            if (command.Enabled == true && organization.Ref.Kind == OrganizationKind.Unit)
                throw new RuleViolationException("contact-card-bureau", "The contact card is a bureau's choice; a unit only sets its phone.");
            var phone = PhoneNumber.TryNormalize(command.Phone, out var normalized) ? normalized : null;
            await accounts.SetContactCardAsync(organization.Id, command.Enabled!.Value, phone, ct);
            return new Response(organization.Code, command.Enabled.Value, phone);
        }
    }
}
