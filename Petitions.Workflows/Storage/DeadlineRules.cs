using System.Text.Json;
using Petitions.Domain;

namespace Petitions.Workflows.Storage;

/// <summary>What <see cref="DeadlineRules"/> last read, shared by every request of this instance.</summary>
public sealed class DeadlineRulesCache
{
    internal sealed record Snapshot(HolidayCalendar Calendar, IReadOnlyList<DeadlineRules.Published> Policies, DateTimeOffset LoadedAt);

    internal Snapshot? Current { get; set; }

    /// <summary>Drops what this instance holds, after it changed the rules itself.</summary>
    public void Forget() => Current = null;
}

/// <summary>
/// The deadline rules in force: the holiday tables and the published policies, read from the database and kept
/// for a minute (both change a few times a year; an edit reaches every instance within that minute, or at once in
/// the instance that made it). A petition keeps the policy it started under; no published policy means the national
/// one. Reads go over the request's own connection: a second one per request could exhaust the pool under load.
/// </summary>
public sealed class DeadlineRules(DbSession session, DeadlineRulesCache cache, TimeProvider time)
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(1);

    /// <summary>A published policy: its row, its organization's path, and its rules.</summary>
    public sealed record Published(long Id, long OrganizationId, string OrganizationPath, int Version, DeadlinePolicy Policy);

    public async Task<HolidayCalendar> CalendarAsync(CancellationToken ct) => (await SnapshotAsync(ct)).Calendar;

    /// <summary>The policy a new petition of this bureau starts under: the newest version of the nearest published
    /// policy at or above it, else the national policy (id null).</summary>
    public async Task<(long? Id, DeadlinePolicy Policy)> ForBureauAsync(string bureauPath, CancellationToken ct)
    {
        var nearest = (await SnapshotAsync(ct)).Policies
            .Where(p => bureauPath.StartsWith(p.OrganizationPath, StringComparison.Ordinal))
            .OrderByDescending(p => p.OrganizationPath.Length)
            .ThenByDescending(p => p.Version)
            .FirstOrDefault();
        return nearest is null ? (null, DeadlinePolicy.National) : (nearest.Id, nearest.Policy);
    }

    /// <summary>The policy a petition runs under.</summary>
    public async Task<DeadlinePolicy> ByIdAsync(long? id, CancellationToken ct)
    {
        if (id is null) return DeadlinePolicy.National;
        var published = (await SnapshotAsync(ct)).Policies.FirstOrDefault(p => p.Id == id);
        if (published is null)
        {
            cache.Forget(); // published by another instance since this one last looked
            published = (await SnapshotAsync(ct)).Policies.FirstOrDefault(p => p.Id == id)
                ?? throw new InvalidOperationException($"Deadline policy {id} does not exist.");
        }
        return published.Policy;
    }

    public async Task<IReadOnlyList<Published>> PublishedAsync(CancellationToken ct) => (await SnapshotAsync(ct)).Policies;

    private sealed record DayRow
    {
        public DateOnly CalendarDay { get; init; }
        public bool IsOffDay { get; init; }
        public string Name { get; init; } = "";
    }

    private sealed record PolicyRow
    {
        public long Id { get; init; }
        public long OrganizationId { get; init; }
        public string Path { get; init; } = "";
        public int Version { get; init; }
        public string Rules { get; init; } = "";
    }

    private async Task<DeadlineRulesCache.Snapshot> SnapshotAsync(CancellationToken ct)
    {
        var snapshot = cache.Current;
        var now = time.GetUtcNow();
        if (snapshot is not null && now - snapshot.LoadedAt < CacheLifetime && now >= snapshot.LoadedAt) return snapshot;

        var days = await session.QueryAsync<DayRow>(
            """
            SELECT calendar_day AS CalendarDay,
                   is_off_day   AS IsOffDay,
                   name         AS Name
            FROM holiday_days
            """,
            null, ct);
        var policies = await session.QueryAsync<PolicyRow>(
            """
            SELECT p.id              AS Id,
                   p.organization_id AS OrganizationId,
                   o.path            AS Path,
                   p.version         AS Version,
                   p.rules           AS Rules
            FROM deadline_policies p
            JOIN organizations o ON o.id = p.organization_id
            """,
            null, ct);
        snapshot = new DeadlineRulesCache.Snapshot(
            new HolidayCalendar(days.Select(d => new CalendarDay(d.CalendarDay, d.IsOffDay, d.Name))),
            policies.Select(p => new Published(p.Id, p.OrganizationId, p.Path, p.Version, PolicyJson.Read(p.Rules))).ToList(),
            now);
        cache.Current = snapshot;
        return snapshot;
    }
}

/// <summary>How a policy's rules are stored: a JSON array of clock rules with their codes.</summary>
public static class PolicyJson
{
    private sealed record Rule(string Clock, int Days, string Count, bool RollForward, int WarningLeadDays);

    public static string Write(IEnumerable<ClockRule> rules) =>
        JsonSerializer.Serialize(rules.Select(r => new Rule(Codes.Of(r.Kind), r.Days, Codes.Of(r.Count), r.RollForward, r.WarningLeadDays)), JsonSerializerOptions.Web);

    public static DeadlinePolicy Read(string json) =>
        new(JsonSerializer.Deserialize<List<Rule>>(json, JsonSerializerOptions.Web)!
            .Select(r => new ClockRule(Codes.Parse<ClockKind>(r.Clock), r.Days, Codes.Parse<DayCount>(r.Count), r.RollForward, r.WarningLeadDays)));
}
