using FluentValidation;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Public;

/// <summary>The petitioner evaluates the outcome online, with the case number and query code, and may say why: once per
/// served reply, beside (never instead of) the return visit's record. A referred matter is evaluated where it was
/// handled, from the original case number and code.</summary>
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
            var id = await store.OpenWithQueryCodeAsync(command.CaseNumber, command.QueryCode, ct) ?? throw new NotFoundException(LookUpPetition.NoMatch);
            var stored = (await store.LoadAsync((await store.MatterAsync(id, ct))[^1], ct))!;
            var evaluation = stored.Petition.Evaluate(Codes.Parse<Satisfaction>(command.Satisfaction!));
            var now = time.GetUtcNow();
            await store.SaveAsync(stored, ct);
            await store.AddEvaluationAsync(stored.Id, evaluation, string.IsNullOrWhiteSpace(command.Comment) ? null : command.Comment.Trim(), now, command.Actor, ct);
            await store.AppendEventAsync(stored.Id, now, "evaluate", stored.Petition.Stage, command.Actor, command.Satisfaction, isPublic: true, ct);
            return new Response(command.CaseNumber, command.Satisfaction!);
        }
    }
}
