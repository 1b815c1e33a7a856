using System.Diagnostics;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Api;

public sealed class SchedulerTests(DatabaseServers servers)
{
    /// <summary>
    /// The real service with its Quartz jobs, on the real clock (Quartz paces itself by it; a frozen test clock would
    /// stall it). The petition is registered in early 2025, so its intake deadline has passed whenever this runs.
    /// </summary>
    [Fact]
    public async Task The_service_sweeps_and_notifies_by_itself_once_a_deadline_has_passed()
    {
        await using var database = await servers.CreateAsync(StorageProvider.Sqlite);
        await using var api = new ApiFactory(database, systemClock: true, settings: new Dictionary<string, string>
        {
            ["Deadlines:SweepEnabled"] = "true",
            ["Deadlines:SweepInterval"] = "00:00:00.2",
        });
        using var client = api.CreateClient();
        await using var desk = await WorkflowHarness.StartAsync(database, now: ManualClock.Shanghai(2025, 1, 2));
        await new Journey(desk).RegisterAsync(); // intake due 2025-01-17

        // Each step counts as progress: the warning, its notification in the outbox, the notification sent.
        await Progress.UntilAsync(
            async () => await database.CountAsync("clock_warnings") + await database.CountAsync("outbox") + await database.CountAsync("outbox", "sent_at IS NOT NULL"),
            3, "the overdue clock is warned and its notification sent");

        Assert.Equal(1, await database.CountAsync("supervision_items"));
        Assert.Equal(1, await database.CountAsync("outbox", "sent_at IS NOT NULL"));
        Assert.Contains(api.Logs.Entries, e => e.Contains("Notify organization", StringComparison.Ordinal) && e.Contains("overdue", StringComparison.Ordinal));
    }
}
