using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Petitions.Domain;
using Petitions.Workflows.Features.Reports;
using Petitions.Workflows.Privacy;
using Petitions.Workflows.Storage;

namespace Petitions.Bench;

/// <summary>
/// A year's report summary over a <see cref="Population"/> of <c>petitions</c> petitions ending today, asked by the
/// county's leader through the mediator as the API asks it: for the whole county and for one handling unit, the first
/// call after the connection pools were emptied (cold) and the best of several after it (warm). The floor: the period's
/// counters summed per (metric, value) by one statement (<see cref="Floors"/>), best of five.
/// </summary>
internal sealed class ReportBench(int petitions)
{
    private const int WarmCalls = 5;

    public sealed record Figures(
        string Provider, int Petitions, long Received, long CounterRows, TimeSpan Seed,
        TimeSpan CountyCold, TimeSpan CountyWarm, TimeSpan UnitCold, TimeSpan UnitWarm, TimeSpan Floor);

    public async Task<Figures> RunAsync(StorageProvider provider, string connectionString)
    {
        var today = ShanghaiTime.DateOf(TimeProvider.System.GetUtcNow());
        var population = new Population(petitions, today);
        var seed = Stopwatch.StartNew();
        var seeding = BenchDatabases.WithoutCommandTimeout(provider, connectionString);
        var keys = PersonalDataKeys.Generate();
        await using (var setup = BenchServices.Compose(provider, seeding, keys))
        {
            await BenchServices.PrepareAsync(setup);
            await population.SeedAsync(setup.GetRequiredService<Database>());
        }
        seed.Stop();
        Console.Error.WriteLine($"  seeded {petitions:N0} petitions in {seed.Elapsed.TotalSeconds:F0} s");
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();

        await using var services = BenchServices.Compose(provider, connectionString, keys);
        var actor = await BenchServices.ActorAsync(services, "leader");
        var from = population.FirstDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var to = today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        async Task<(TimeSpan Cold, TimeSpan Warm, ReportSummary.Summary Summary)> Time(string org)
        {
            var watch = Stopwatch.StartNew();
            var summary = await BenchServices.SendAsync(services, new ReportSummary.Query(from, to, org, actor));
            var cold = watch.Elapsed;
            var warm = TimeSpan.MaxValue;
            for (var i = 0; i < WarmCalls; i++)
            {
                watch.Restart();
                await BenchServices.SendAsync(services, new ReportSummary.Query(from, to, org, actor));
                warm = TimeSpan.FromTicks(Math.Min(warm.Ticks, watch.Elapsed.Ticks));
            }
            return (cold, warm, summary);
        }
        var county = await Time(Population.County);
        var unit = await Time(population.Units[0]);

        long counterRows;
        await using (var scope = services.CreateAsyncScope())
            counterRows = await scope.ServiceProvider.GetRequiredService<DbSession>().ScalarAsync<long>("SELECT COUNT(*) FROM report_counts", null, CancellationToken.None);
        var floor = await Floors.CounterSumAsync(services.GetRequiredService<Database>(), population.FirstDay, today);
        return new Figures(
            Codes.Of(provider), petitions, county.Summary.Received, counterRows, seed.Elapsed, county.Cold, county.Warm, unit.Cold, unit.Warm, floor);
    }
}
