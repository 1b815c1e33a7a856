using System.Diagnostics;
using MediatR;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Petitions.Domain;
using Petitions.Workflows;
using Petitions.Workflows.Features.Accounts;
using Petitions.Workflows.Features.Administration;
using Petitions.Workflows.Features.Reports;
using Petitions.Workflows.Privacy;
using Petitions.Workflows.Storage;

namespace Petitions.Bench;

/// <summary>
/// A year's report summary over a <see cref="Population"/> of <c>petitions</c> petitions ending today, asked by the
/// county's leader through the mediator as the API asks it: for the whole county and for one handling unit, the first
/// call after the connection pools were emptied (cold) and the best of several after it (warm).
/// </summary>
internal sealed class ReportBench(int petitions)
{
    private const string Password = "Bench-Password-1";
    private const int WarmCalls = 5;

    public sealed record Figures(
        string Provider, int Petitions, long Received, long CounterRows, TimeSpan Seed,
        TimeSpan CountyCold, TimeSpan CountyWarm, TimeSpan UnitCold, TimeSpan UnitWarm);

    public async Task<Figures> RunAsync(StorageProvider provider, string connectionString)
    {
        var today = ShanghaiTime.DateOf(TimeProvider.System.GetUtcNow());
        var population = new Population(petitions, today);
        var seed = Stopwatch.StartNew();
        var seeding = provider == StorageProvider.Postgres ? new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ConnectionString : connectionString;
        await using (var setup = Compose(provider, seeding))
        {
            await setup.GetRequiredService<Migrator>().MigrateAsync(CancellationToken.None);
            await using (var scope = setup.CreateAsyncScope())
                await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new SeedDemoData.Command(Password));
            await population.SeedAsync(setup.GetRequiredService<Database>());
        }
        seed.Stop();
        Console.Error.WriteLine($"  seeded {petitions:N0} petitions in {seed.Elapsed.TotalSeconds:F0} s");
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();

        await using var services = Compose(provider, connectionString);
        var leader = await SendAsync(services, new SignIn.Query("leader", Password));
        var actor = new Actor(leader.UserId, leader.OrganizationId, leader.Roles.ToHashSet());
        var from = population.FirstDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var to = today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        async Task<(TimeSpan Cold, TimeSpan Warm, ReportSummary.Summary Summary)> Time(string org)
        {
            var watch = Stopwatch.StartNew();
            var summary = await SendAsync(services, new ReportSummary.Query(from, to, org, actor));
            var cold = watch.Elapsed;
            var warm = TimeSpan.MaxValue;
            for (var i = 0; i < WarmCalls; i++)
            {
                watch.Restart();
                await SendAsync(services, new ReportSummary.Query(from, to, org, actor));
                warm = TimeSpan.FromTicks(Math.Min(warm.Ticks, watch.Elapsed.Ticks));
            }
            return (cold, warm, summary);
        }
        var county = await Time(Population.County);
        var unit = await Time(population.Units[0]);

        long counterRows;
        await using (var scope = services.CreateAsyncScope())
            counterRows = await scope.ServiceProvider.GetRequiredService<DbSession>().ScalarAsync<long>("SELECT COUNT(*) FROM report_counts", null, CancellationToken.None);
        return new Figures(
            Codes.Of(provider), petitions, county.Summary.Received, counterRows, seed.Elapsed, county.Cold, county.Warm, unit.Cold, unit.Warm);
    }

    private static ServiceProvider Compose(StorageProvider provider, string connectionString)
    {
        var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddOptions<StorageOptions>().Configure(o =>
        {
            o.Provider = provider;
            o.ConnectionString = connectionString;
        });
        services.AddPetitionsWorkflows(PersonalDataKeys.Generate());
        return services.BuildServiceProvider();
    }

    private static async Task<T> SendAsync<T>(IServiceProvider services, IRequest<T> request)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }
}
