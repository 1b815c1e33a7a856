namespace Petitions.Workflows;

/// <summary>The thing asked for does not exist, or the caller may not know that it exists.</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>The caller is known but not allowed to do this.</summary>
public sealed class ForbiddenException(string message) : Exception(message);

/// <summary>Another request changed the same thing first, or is changing it now; the client may retry.</summary>
public sealed class ConcurrencyConflictException(string message) : Exception(message);

/// <summary>An Idempotency-Key was sent again with a different request.</summary>
public sealed class IdempotencyKeyReusedException() : Exception("This Idempotency-Key was already used for a different request.");

/// <summary>The credentials are wrong or missing.</summary>
public sealed class UnauthorizedException(string message) : Exception(message);

/// <summary>The database can take no more work now (every slot taken and the queue full or waited out, or the database
/// itself refused: pool empty, too many clients, a lock wait timed out, busy). Nothing was written; the client may
/// retry after a short while.</summary>
public sealed class DatabaseBusyException(string reason, Exception? inner = null)
    : Exception($"The database is busy ({reason}); try again shortly.", inner)
{
    /// <summary><c>queue-full</c>, <c>queue-timeout</c>, or <c>database</c> when the database refused.</summary>
    public string Reason { get; } = reason;
}
