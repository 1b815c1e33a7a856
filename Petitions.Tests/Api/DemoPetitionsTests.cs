using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Domain;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Tests.Api;

/// <summary>Development seeds the demo's petitions (Demo:SeedPetitions): every stage, some near due and some overdue,
/// made through the real commands at backdated times, once.</summary>
public abstract class DemoPetitionsTests(StorageProvider provider, DatabaseServers servers) : IAsyncLifetime
{
    public sealed class OnSqlite(DatabaseServers servers) : DemoPetitionsTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : DemoPetitionsTests(StorageProvider.Postgres, servers);

    private static readonly Dictionary<string, string> Seeding = new() { ["Demo:SeedPetitions"] = "true" };
    private TestDatabase _database = null!;

    public async ValueTask InitializeAsync() => _database = await servers.CreateAsync(provider);

    public ValueTask DisposeAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Development_seeds_petitions_in_every_stage_some_near_due_and_some_overdue_once()
    {
        var api = new ApiFactory(_database, settings: Seeding);
        using var client = api.CreateClient();
        var now = api.Clock.GetUtcNow();
        var today = ShanghaiTime.DateOf(now);

        var stages = (await _database.QueryAsync<string>("SELECT DISTINCT stage FROM petitions")).ToHashSet();
        var definition = api.Services.GetRequiredService<WorkflowCatalog>().Latest;
        foreach (var stage in definition.Actions.SelectMany(a => a.From.Concat(a.To)).Distinct().Select(Codes.Of))
            Assert.True(stages.Contains(stage), $"no demo petition is {stage}");
        var open = await _database.QueryAsync<DateOnly>("SELECT due_on FROM clocks WHERE state = 'running'");
        Assert.Contains(open, due => due < today);
        Assert.Contains(open, due => due >= today && due.DayNumber - today.DayNumber <= 3);
        Assert.DoesNotContain("was refused", string.Join("\n", api.Logs.Entries), StringComparison.Ordinal);

        // Backdated through the commands' own clock: receipts months back, nothing after now, each history in order.
        var received = await _database.QueryAsync<DateTimeOffset>("SELECT received_at FROM petitions");
        Assert.True(received.Count >= 20, $"{received.Count} petitions");
        Assert.True(received.Min() <= now - TimeSpan.FromDays(100), $"the oldest was received {received.Min()}");
        Assert.All(received, at => Assert.True(at <= now));
        Assert.All(await _database.QueryAsync<DateTimeOffset>("SELECT occurred_at FROM petition_events"), at => Assert.True(at <= now));
        Assert.Equal(0, await _database.CountAsync("petition_events e JOIN petitions p ON p.id = e.petition_id", "e.occurred_at < p.registered_at"));
        Assert.True(await _database.CountAsync("supervision_orders") >= 1);
        // Version 2's referral answered both ways, the referring case following each answer.
        foreach (var action in new[] { "object-to-referral", "referral-returned", "report-back", "referral-reported" })
            Assert.True(await _database.CountAsync("petition_events", "action = @Action", new { Action = action }) == 1, $"no demo petition's history has {action}");
        Assert.True(await _database.CountAsync("audit_log", "occurred_at < @Before", new { Before = now - TimeSpan.FromDays(30) }) > 10);

        // The demo users find work waiting.
        foreach (var (user, queue) in new[] { ("office", "stage=registered"), ("handler", "stage=in-handling"), ("leader", "extensionRequested=true"), ("office", "stage=opinion-review") })
        {
            var token = (await (await client.PostAsJsonAsync("/api/auth/token", new { userName = user, password = TestData.Password }, Ct))
                .Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString();
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/petitions?{queue}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var items = (await (await client.SendAsync(request, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items");
            Assert.True(items.GetArrayLength() > 0, $"{user} has nothing at {queue}");
        }

        var count = await _database.CountAsync("petitions");
        await api.DisposeAsync();
        await using var again = new ApiFactory(_database, settings: Seeding);
        using var restarted = again.CreateClient();
        Assert.Equal(count, await _database.CountAsync("petitions"));
        Assert.DoesNotContain("demo petitions", string.Join("\n", again.Logs.Entries), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_setting_no_petition_is_seeded()
    {
        await using var api = new ApiFactory(_database);
        using var client = api.CreateClient();

        Assert.Equal(0, await _database.CountAsync("petitions"));
        Assert.True(await _database.CountAsync("users") > 0);
    }
}
