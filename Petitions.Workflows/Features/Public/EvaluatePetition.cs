using FluentValidation;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Public;

/// <summary>The petitioner evaluates the outcome online, with the case number and query code: once, and only after
/// the written reply was served.</summary>
public static class EvaluatePetition
{
    public sealed record Command(string CaseNumber, string? QueryCode, string? Satisfaction, string? Comment) : ICommand<Response>
    {
        public Actor Actor => Actor.Public;
        string? ICommandRequest.AuditCaseNumber => CaseNumber;
        public override string ToString() => nameof(EvaluatePetition); // the query code stays out of logs
    }

    public sealed record Response(string CaseNumber, string Satisfaction);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.QueryCode).NotEmpty().MaximumLength(32);
            RuleFor(c => c.Satisfaction).IsOneOf(Codes.All<Satisfaction>(), "satisfaction");
            RuleFor(c => c.Comment).MaximumLength(2000);
        }
    }

    public sealed class Handler(PetitionStore store, TimeProvider time) : IRequestHandler<Command, Response>
    {
        public async Task<Response> Handle(Command command, CancellationToken ct)
        {
            if (await store.OpenWithQueryCodeAsync(command.CaseNumber, command.QueryCode, ct) is null)
                throw new NotFoundException(LookUpPetition.NoMatch);
            var stored = (await store.LoadAsync(command.CaseNumber, ct))!;
            if (stored.Petition.ServedOn is null)
                throw new RuleViolationException("not-served", "The outcome can be evaluated once the written reply has been served.");
            stored.Petition.RecordSatisfaction(Codes.Parse<Satisfaction>(command.Satisfaction!));
            await store.SaveAsync(stored, ct);
            await store.AppendEventAsync(stored.Id, time.GetUtcNow(), "evaluate", stored.Petition.Stage, command.Actor, command.Satisfaction, isPublic: true, ct);
            return new Response(command.CaseNumber, command.Satisfaction!);
        }
    }
}
