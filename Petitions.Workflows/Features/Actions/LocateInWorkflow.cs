using FluentValidation;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Actions;

/// <summary>Where a petition within the caller's reach stands in its workflow: its stage, and the version of the
/// definition it follows (it keeps the one it started with), for drawing the process around it.</summary>
public static class LocateInWorkflow
{
    public sealed record Query(string CaseNumber, Actor Actor) : IQuery<Response>;

    public sealed record Response(string CaseNumber, string Stage, int WorkflowVersion);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.CaseNumber).Must(CaseNumber.IsWellFormed).WithErrorCode("case-number").WithMessage("Not a case number.");
    }

    public sealed class Handler(PetitionStore store, AccountStore accounts) : IRequestHandler<Query, Response>
    {
        public async Task<Response> Handle(Query query, CancellationToken ct)
        {
            var (_, stored) = await PetitionScope.LoadWithinReachAsync(store, accounts, query.CaseNumber, query.Actor, ct);
            return new Response(query.CaseNumber, Codes.Of(stored.Petition.Stage), stored.WorkflowVersion);
        }
    }
}
