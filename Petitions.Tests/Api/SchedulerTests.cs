using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Support;
using Petitions.Workflows.Features.Deadlines;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Api;

/// <summary>
/// The real service with its Hangfire server, on the real clock (Hangfire paces itself by it; a frozen test clock
/// would stall it), on SQLite with Hangfire's storage in a file of its own. The petitions are registered in early
/// 2025, so their intake deadlines have passed whenever this runs.
/// </summary>
public sealed class SchedulerTests(DatabaseServers servers)
{
    /// <summary>Every second, polled five times a second, retries a second apart: fast enough for a test.</summary>
    private static readonly Dictionary<string, string> EverySecond = new()
    {
        ["Jobs:Enabled"] = "true",
        ["Jobs:SweepCron"] = "* * * * * *",
        ["Jobs:OutboxCron"] = "* * * * * *",
        ["Jobs:PollInterval"] = "00:00:00.2",
        ["Jobs:NotificationRetries"] = "2",
        ["Jobs:NotificationRetryDelay"] = "00:00:01",
    };

    /// <summary>Only so that a broken scheduler fails the test instead of hanging it: waits while something progresses.</summary>
    private static async Task WaitUntilAsync(Func<Task<long>> progress, long goal)
    {
        var last = -1L;
        var still = System.Diagnostics.Stopwatch.StartNew();
        while (await progress() is var now && now < goal)
        {
            if (now != last) (last, still) = (now, System.Diagnostics.Stopwatch.StartNew());
            Assert.True(still.Elapsed < TimeSpan.FromSeconds(30), $"no progress for 30 s at {now} of {goal}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task The_service_sweeps_and_notifies_by_itself_once_a_deadline_has_passed()
    {
        await using var database = await servers.CreateAsync(StorageProvider.Sqlite);
        await using var api = new ApiFactory(database, systemClock: true, settings: EverySecond);
        using var client = api.CreateClient();
        await using var desk = await WorkflowHarness.StartAsync(database, now: ManualClock.Shanghai(2025, 1, 2));
        await new Journey(desk).RegisterAsync(); // intake due 2025-01-17

        await WaitUntilAsync(() => database.CountAsync("outbox", "sent_at IS NOT NULL"), 1);

        Assert.Equal(1, await database.CountAsync("supervision_items"));
        Assert.Equal(1, await database.CountAsync("outbox", "sent_at IS NOT NULL AND attempts = 1"));
        Assert.Contains(api.Logs.Entries, e => e.Contains("Notify organization", StringComparison.Ordinal) && e.Contains("overdue", StringComparison.Ordinal));
        var statistics = api.Services.GetRequiredService<JobStorage>().GetMonitoringApi().GetStatistics();
        Assert.Equal(5, statistics.Recurring);
        Assert.Equal(0, statistics.Failed);
    }

    [Fact]
    public async Task A_notification_whose_sender_fails_is_retried_with_back_off_and_then_fails_where_the_dashboard_shows_it()
    {
        await using var database = await servers.CreateAsync(StorageProvider.Sqlite);
        var sender = new FailingSender();
        await using var api = new ApiFactory(database, systemClock: true, settings: EverySecond,
            services: s => s.AddSingleton<INotificationSender>(sender));
        using var client = api.CreateClient();
        await using var desk = await WorkflowHarness.StartAsync(database, now: ManualClock.Shanghai(2025, 1, 2));
        await new Journey(desk).RegisterAsync();
        var monitoring = api.Services.GetRequiredService<JobStorage>().GetMonitoringApi();

        await WaitUntilAsync(() => Task.FromResult(monitoring.FailedCount()), 1);

        Assert.Equal(3, sender.Attempts); // the first and two retries
        Assert.Equal(1, await database.CountAsync("outbox", "sent_at IS NULL AND queued_at IS NOT NULL AND attempts = 3"));
        var failed = Assert.Single(monitoring.FailedJobs(0, 10));
        Assert.Equal(nameof(Petitions.Api.Hosting.PetitionJobs.DeliverNotificationAsync), failed.Value.Job.Method.Name);
        Assert.Contains(api.Logs.Entries, e => e.Contains("was not delivered", StringComparison.Ordinal));
        // The delays between attempts grew: at least the first retry delay, then about twice it.
        Assert.True(sender.Times[1] - sender.Times[0] >= TimeSpan.FromSeconds(0.75), $"first retry after {sender.Times[1] - sender.Times[0]}");
        Assert.True(sender.Times[2] - sender.Times[1] >= TimeSpan.FromSeconds(1.5), $"second retry after {sender.Times[2] - sender.Times[1]}");
    }

    private sealed class FailingSender : INotificationSender
    {
        public List<DateTimeOffset> Times { get; } = [];
        public int Attempts => Times.Count;

        public Task SendAsync(OutboxMessage message, CancellationToken ct)
        {
            lock (Times) Times.Add(DateTimeOffset.UtcNow);
            throw new HttpRequestException("The messaging gateway is down.");
        }
    }
}
