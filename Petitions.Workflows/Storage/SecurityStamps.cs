using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Petitions.Workflows.Features.Accounts;

namespace Petitions.Workflows.Storage;

/// <summary>
/// Whether a session (a bearer token or the pages' cookie) is still its user's: the user exists, is not disabled, and
/// the session's security stamp is the user's current one. A password change, a disable or enable and a sign-out raise
/// the stamp (docs/decisions/0008). Each instance keeps what it read of a user for
/// <see cref="AccountOptions.SessionCheckInterval"/> (one primary-key read per active user and interval); the instance
/// that raised a stamp forgets it once the change has committed, the others read it again when their copy is that old.
/// </summary>
public sealed class SecurityStamps(Database database, TimeProvider time, IOptions<AccountOptions> options)
{
    /// <summary>What was read of a user: the current stamp, or null for a user who is disabled or gone.</summary>
    private sealed record Entry(long? Stamp, DateTimeOffset ReadAt);

    private sealed record Row
    {
        public long Stamp { get; init; }
        public bool Disabled { get; init; }
    }

    private readonly ConcurrentDictionary<long, Entry> _users = new();
    private long _forgotten;

    public async Task<bool> IsCurrentAsync(long userId, long stamp, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (!_users.TryGetValue(userId, out var entry) || now - entry.ReadAt >= options.Value.SessionCheckInterval || now < entry.ReadAt)
        {
            var forgotten = Interlocked.Read(ref _forgotten);
            await using var session = new DbSession(database);
            var row = await session.QuerySingleOrDefaultAsync<Row>(
                """
                SELECT security_stamp AS Stamp,
                       disabled       AS Disabled
                FROM users
                WHERE id = @UserId
                """,
                new { UserId = userId }, ct);
            entry = new Entry(row is { Disabled: false } ? row.Stamp : null, now);
            // A read that began before a stamp was raised here may have seen the old one: it answers its own request
            // only, and is not kept.
            if (Interlocked.Read(ref _forgotten) == forgotten) _users[userId] = entry;
        }
        return entry.Stamp == stamp;
    }

    /// <summary>The user's stamp was raised in this instance: its next request reads it again.</summary>
    public void Forget(long userId)
    {
        Interlocked.Increment(ref _forgotten);
        _users.TryRemove(userId, out _);
    }
}
