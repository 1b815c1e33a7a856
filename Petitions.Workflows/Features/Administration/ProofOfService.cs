using FluentValidation;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Administration;

/// <summary>
/// An administrator decides for an organization and the levels below it which service methods are recorded only once the
/// signed proof of service (送达回证) is attached. None by default: where no level above sets it, nothing is required.
/// </summary>
public static class SetProofOfService
{
    public sealed record Command(string Organization, IReadOnlyList<string?>? Methods, Actor Actor) : ICommand<Response>
    {
        string? ICommandRequest.AuditCaseNumber => null;
    }

    public sealed record Response(string Organization, IReadOnlyList<string> Methods);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Methods).NotNull();
            RuleForEach(c => c.Methods).IsOneOf(Codes.All<ServiceMethod>(), "methods");
        }
    }

    public sealed class Handler(AccountStore accounts, MaterialStore materials) : IRequestHandler<Command, Response>
    {
        public async Task<Response> Handle(Command command, CancellationToken ct)
        {
            var organization = await (await AdministeredTree.OfAsync(accounts, command.Actor, ct)).OrganizationAsync(command.Organization, ct);
            var methods = command.Methods!.Select(m => Codes.Parse<ServiceMethod>(m!)).Distinct().Order().ToList();
            await materials.SetProofOfServiceAsync(organization.Id, methods, ct);
            return new Response(organization.Code, methods.Select(Codes.Of).ToList());
        }
    }
}
