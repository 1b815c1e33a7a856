using FluentValidation;
using MediatR;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Deadlines;

/// <summary>
/// Forgets the idempotency records (key, request hash, encrypted first answer) older than an age: a client retries
/// within minutes, and the records hold an encrypted query code that need not be kept for ever. A retry after that
/// age is a new request.
/// </summary>
public static class PurgeIdempotencyRecords
{
    public sealed record Command(TimeSpan Age) : IRequest<int>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Age).GreaterThan(TimeSpan.Zero).OverridePropertyName("Jobs:IdempotencyRetention");
    }

    public sealed class Handler(Database database, TimeProvider time) : IRequestHandler<Command, int>
    {
        public async Task<int> Handle(Command command, CancellationToken ct)
        {
            await using var session = new DbSession(database);
            await session.BeginAsync(ct);
            var purged = await session.ExecuteAsync(
                """
                DELETE FROM idempotency_keys
                WHERE created_at < @Cutoff
                """,
                new { Cutoff = time.GetUtcNow() - command.Age }, ct);
            await session.CommitAsync(ct);
            return purged;
        }
    }
}
