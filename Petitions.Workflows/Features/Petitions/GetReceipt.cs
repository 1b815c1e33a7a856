using FluentValidation;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Petitions;

/// <summary>
/// The registration receipt (登记回执), the one writing that carries the query code. The code is stored only as a
/// keyed hash, so the desk prints the receipt right after registering, sending the code it was just given; the code
/// is checked against the hash before anything is printed.
/// </summary>
public static class GetReceipt
{
    public sealed record Query(string CaseNumber, string? QueryCode, Actor Actor) : IQuery<Response>
    {
        public override string ToString() => nameof(GetReceipt); // the query code stays out of logs
    }

    public sealed record Response(string CaseNumber, string QueryCode, string Bureau, string Subject, DateOnly ReceivedOn, DateOnly IntakeDueOn, string Petitioner);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.QueryCode).NotEmpty().MaximumLength(32);
    }

    public sealed class Handler(DbSession session, PetitionStore store, AccountStore accounts) : IRequestHandler<Query, Response>
    {
        private sealed record ReceiptRow
        {
            public string Subject { get; init; } = "";
            public DateTimeOffset ReceivedAt { get; init; }
            public string Bureau { get; init; } = "";
            public string Petitioner { get; init; } = "";
        }

        public async Task<Response> Handle(Query query, CancellationToken ct)
        {
            var (_, stored) = await PetitionScope.LoadWithinReachAsync(store, accounts, query.CaseNumber, query.Actor, ct);
            if (await store.OpenWithQueryCodeAsync(query.CaseNumber, query.QueryCode, ct) is null)
                throw new NotFoundException("The query code does not belong to this petition.");
            var row = (await session.QuerySingleOrDefaultAsync<ReceiptRow>(
                """
                SELECT p.subject     AS Subject,
                       p.received_at AS ReceivedAt,
                       b.name        AS Bureau,
                       pp.name       AS Petitioner
                FROM petitions p
                JOIN organizations b ON b.id = p.bureau_id
                JOIN petition_people pp ON pp.petition_id = p.id AND pp.ordinal = 0
                WHERE p.id = @Id
                """,
                new { stored.Id }, ct))!;
            var intake = stored.Petition.Clocks.First(c => c.Kind == ClockKind.Intake);
            return new Response(
                query.CaseNumber, QueryCode.Normalize(query.QueryCode), row.Bureau, row.Subject, ShanghaiTime.DateOf(row.ReceivedAt), intake.DueOn, row.Petitioner);
        }
    }
}
