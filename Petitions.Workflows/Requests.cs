using System.Text.Json.Serialization;
using MediatR;

namespace Petitions.Workflows;

/// <summary>A request that changes state: it runs in one transaction and leaves an audit entry.</summary>
public interface ICommand<out TResponse> : IRequest<TResponse>, ICommandRequest;

/// <summary>A request that only reads.</summary>
public interface IQuery<out TResponse> : IRequest<TResponse>;

/// <summary>What the behaviours need of any command, whatever it answers.</summary>
public interface ICommandRequest
{
    Actor Actor { get; }

    /// <summary>The case the command is about, for the audit log; null before it exists.</summary>
    string? AuditCaseNumber { get; }

    /// <summary>What the audit log calls the command: its use case, or the workflow action it performs.</summary>
    string AuditAction => GetType().DeclaringType?.Name ?? GetType().Name;
}

/// <summary>A command that honours an <c>Idempotency-Key</c>: a retry with the same key returns the first answer.</summary>
public interface IIdempotentCommand : ICommandRequest
{
    [JsonIgnore] string? IdempotencyKey { get; }
}
