namespace Petitions.Workflows.Storage;

/// <summary>
/// Which users are disabled, so their bearer tokens are refused before they expire: read at most every 30 seconds
/// (one small query), and at once in the instance where an administrator disabled someone.
/// </summary>
public sealed class DisabledUsers(Database database, TimeProvider time)
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(30);

    private (HashSet<long> Ids, DateTimeOffset LoadedAt)? _current;

    public async Task<bool> IsDisabledAsync(long userId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_current is not { } current || now - current.LoadedAt > CacheLifetime || now < current.LoadedAt)
        {
            await using var session = new DbSession(database);
            var ids = await session.QueryAsync<long>("SELECT id FROM users WHERE disabled = @Disabled", new { Disabled = true }, ct);
            current = (ids.ToHashSet(), now);
            _current = current;
        }
        return current.Ids.Contains(userId);
    }

    public void Forget() => _current = null;
}
