using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Workflows.Privacy;
using Petitions.Workflows.Storage;

namespace Petitions.Bench;

/// <summary>
/// The public progress lookup (<c>GET /api/public/petitions/{caseNumber}?queryCode=</c>) on a database that
/// <see cref="BulkPetitions"/> filled with a million petitions. Bulk rows have no valid query code, so a few thousand
/// petitions are first registered through the service, and those are looked up with their right codes: latency with
/// one client at a time, then throughput and latency with several clients at once. The floor: one indexed read of the
/// same petitions' rows straight from this process (<see cref="Floors"/>), one caller at a time.
/// </summary>
internal sealed class LookupBench(int workers, TimeSpan duration)
{
    public sealed record Figures(
        long Petitions, TimeSpan FloorP50, TimeSpan FloorP99, TimeSpan P50, TimeSpan P99, double LoadedPerSecond, TimeSpan LoadedP50, TimeSpan LoadedP99, long Failures);

    private const int Registered = 3000;

    public async Task<Figures> RunAsync(StorageProvider provider, string connectionString, PersonalDataKeys keys)
    {
        // Every request here comes from 127.0.0.1, which the per-address limit (30 a minute) would stop at once, and
        // the failed-lookup guard lets at most 5 lookups of one address be checked at a time (the others wait): the
        // clients stand for petitioners at many addresses, so both are lifted. Only right codes are sent.
        // The database's due clocks and their notifications (the sweep suite's, or this service's own sweep of them) would
        // have this process's Hangfire workers deliver ten thousand or more notifications while the lookups are timed:
        // that measured the backlog (PostgreSQL p99 6-6.5 ms, the floor's p99 1.5 ms beside it), not the lookup. So
        // this instance runs no jobs (on PostgreSQL or SQL Server, as a web-only instance beside a jobs instance does).
        var unlimited = int.MaxValue.ToString(CultureInfo.InvariantCulture);
        var settings = new Dictionary<string, string>
        {
            ["RateLimits:LookupsPerMinute"] = unlimited, ["RateLimits:FailedLookups"] = unlimited, ["Jobs:Enabled"] = "false",
        };
        await using var service = await ServiceProcess.StartAsync(provider, connectionString, keys, settings);
        using var client = service.Client(workers);
        var token = await ServiceProcess.TokenAsync(client, "reception");
        var known = new (string CaseNumber, string QueryCode)[Registered];
        await Parallel.ForEachAsync(Enumerable.Range(0, Registered), new ParallelOptions { MaxDegreeOfParallelism = workers }, async (n, _) =>
        {
            using var response = await ServiceProcess.PostAsync(client, "/api/petitions", token, JsonSerializer.SerializeToUtf8Bytes(Registrations.Body(n)), idempotent: true);
            var registered = await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
            known[n] = (registered.GetProperty("caseNumber").GetString()!, registered.GetProperty("queryCode").GetString()!);
        });
        long petitions;
        Load.Result floor;
        await using (var services = BenchServices.Compose(provider, connectionString, keys))
        {
            var database = services.GetRequiredService<Database>();
            await using (var session = new DbSession(database))
                petitions = await session.ScalarAsync<long>("SELECT COUNT(*) FROM petitions", null, CancellationToken.None);
            var caseNumbers = known.Select(k => k.CaseNumber).ToList();
            await Floors.PetitionReadAsync(database, caseNumbers, duration / 2); // warm-up
            floor = await Floors.PetitionReadAsync(database, caseNumbers, duration);
        }

        long failures = 0;
        async Task LookUp(int n)
        {
            var (caseNumber, queryCode) = known[n % Registered];
            using var response = await client.GetAsync($"/api/public/petitions/{caseNumber}?queryCode={queryCode}");
            if (response.StatusCode != HttpStatusCode.OK) Interlocked.Increment(ref failures);
        }
        for (var n = 0; n < Registered; n++) await LookUp(n); // warm-up: each once
        failures = 0;
        var alone = await Load.RunAsync(1, duration, LookUp);
        var loaded = await Load.RunAsync(workers, duration, LookUp);
        return new Figures(petitions, floor.Percentile(50), floor.Percentile(99), alone.Percentile(50), alone.Percentile(99), loaded.PerSecond, loaded.Percentile(50), loaded.Percentile(99), failures);
    }
}
