using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Pipeline;

/// <summary>
/// Records every command in the append-only audit log: who, from which organization, what, when and how it ended.
/// A success is written in the command's own transaction; a failure after its rollback, in a transaction of its
/// own. Only the command's type and case number are recorded, never its content.
/// </summary>
public sealed class AuditBehaviour<TRequest, TResponse>(DbSession session, AuditLog audit) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not ICommandRequest command) return await next();

        var action = command.AuditAction;
        TResponse response;
        try
        {
            response = await next();
        }
        // A refusal for lack of capacity did nothing, and writing its entry would be more of the work refused.
        catch (Exception failure) when (failure is not (OperationCanceledException or DatabaseBusyException))
        {
            session.AfterRollback(ct => audit.AppendAsync(command.Actor, action, FailedCase(command), Outcome(failure), null, ct));
            throw;
        }
        // The command's writes held back for one round trip (DbSession.WriteAsync) can still fail when they are sent at
        // its commit, which then rolls back: the entry says so.
        session.AfterRollback(ct => audit.AppendAsync(command.Actor, action, FailedCase(command), "error", null, ct));
        if (response is IActsOnCases batch)
            await audit.AppendEachAsync(command.Actor, action, batch.PetitionIds, "ok", cancellationToken);
        else
            await audit.AppendAsync(command.Actor, action, command.AuditCaseNumber ?? (response as ICreatesCase)?.CaseNumber, "ok", null, cancellationToken);
        return response;
    }

    /// <summary>The case a failed command names: a case it created rolled back with it, and a malformed case number
    /// names no petition and may be any length (a refused public evaluation of one failed with a 500 on PostgreSQL, whose
    /// column holds 40).</summary>
    private static string? FailedCase(ICommandRequest command) =>
        CaseNumber.IsWellFormed(command.AuditCaseNumber) ? command.AuditCaseNumber : null;

    private static string Outcome(Exception failure) => failure switch
    {
        RuleViolationException rule => $"refused:{rule.Rule}",
        ForbiddenException => "forbidden",
        NotFoundException => "not-found",
        ConcurrencyConflictException => "conflict",
        IdempotencyKeyReusedException => "idempotency-key-reused",
        _ => "error",
    };
}

/// <summary>A response that names the case its command created, so the audit entry can name it too.</summary>
public interface ICreatesCase
{
    string CaseNumber { get; }
}

/// <summary>A response of a command that acted on several petitions at once (the sweep's batch): the audit log gets an
/// entry for each, as if each had been a command of its own.</summary>
public interface IActsOnCases
{
    IReadOnlyCollection<long> PetitionIds { get; }
}
