using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Domain;
using Petitions.Workflows.Features.Deadlines;
using Petitions.Workflows.Privacy;
using Petitions.Workflows.Storage;

namespace Petitions.Bench;

/// <summary>
/// The deadline sweep at scale, on a database that <see cref="BulkPetitions"/> filled with one open intake clock per
/// petition, <c>due</c> of them past due. Times one sweep pass that escalates every due clock and the best of five
/// with nothing due (both in this process); then makes another <c>due</c> clocks due and starts the real service on
/// that database: its start (process start to a healthy answer), the time until its own sweep job has escalated
/// them, and its peak memory over all of that.
/// </summary>
internal sealed class SweepBench(int due)
{
    public sealed record Figures(
        int Due, TimeSpan NoneDue, TimeSpan AllDue, int Escalated, TimeSpan Startup, TimeSpan StartAndSweep, double PeakMemoryMiB);

    public async Task<Figures> RunAsync(StorageProvider provider, string connectionString, PersonalDataKeys keys)
    {
        await using var services = BenchServices.Compose(provider, connectionString, keys);
        async Task<(TimeSpan, SweepClocks.Result)> Sweep()
        {
            var watch = Stopwatch.StartNew();
            var result = await BenchServices.SendAsync(services, new SweepClocks.Command());
            return (watch.Elapsed, result);
        }
        // The "nothing due" pass is timed on a database where the due ones were already escalated.
        var (allDue, result) = await Sweep();
        var noneDue = TimeSpan.MaxValue;
        for (var i = 0; i < 5; i++) noneDue = TimeSpan.FromTicks(Math.Min(noneDue.Ticks, (await Sweep()).Item1.Ticks));

        var database = services.GetRequiredService<Database>();
        await MakeDueAsync(database);
        var start = Stopwatch.StartNew();
        await using var service = await ServiceProcess.StartAsync(provider, connectionString, keys);
        var startup = start.Elapsed;
        // The service's Hangfire server sweeps every 5 s (Jobs:SweepCron), the first time within 5 s of its start.
        while (await DueCountAsync(database) > 0) await Task.Delay(100);
        return new Figures(due, noneDue, allDue, result.Overdue, startup, start.Elapsed, service.PeakMemoryMiB());
    }

    /// <summary>The clocks after the first <c>due</c> fell due too (seeded clocks have ids from 1, in petition order).</summary>
    private async Task MakeDueAsync(Database database)
    {
        await using var session = new DbSession(database);
        await session.BeginAsync(CancellationToken.None);
        await session.ExecuteAsync(
            """
            UPDATE clocks
            SET due_on        = @DueOn,
                next_check_on = @CheckOn
            WHERE id > @Due
              AND id <= 2 * @Due
            """,
            new { Due = due, DueOn = new DateOnly(2026, 1, 20), CheckOn = new DateOnly(2026, 1, 17) }, CancellationToken.None);
        await session.CommitAsync(CancellationToken.None);
    }

    private static async Task<long> DueCountAsync(Database database)
    {
        await using var session = new DbSession(database);
        return await session.ScalarAsync<long>(
            "SELECT COUNT(*) FROM clocks WHERE next_check_on <= @Today", new { Today = ShanghaiTime.DateOf(DateTimeOffset.UtcNow) }, CancellationToken.None);
    }
}
