using System.Diagnostics;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Petitions.Workflows;
using Petitions.Workflows.Features.Administration;
using Petitions.Workflows.Features.Deadlines;
using Petitions.Workflows.Privacy;
using Petitions.Workflows.Storage;

namespace Petitions.Bench;

/// <summary>
/// The deadline sweep at scale: a database with <c>openClocks</c> open clocks (one per petition), of which
/// <c>duePercent</c> are past due. Times one sweep pass with nothing due, one that escalates every due clock, and
/// the service's start (process start to a healthy answer) on that database.
/// </summary>
internal sealed class SweepBench(int openClocks, double duePercent)
{
    public sealed record Figures(string Provider, int OpenClocks, int Due, TimeSpan NoneDue, TimeSpan AllDue, int Escalated, TimeSpan Startup);

    public async Task<Figures> RunAsync(StorageProvider provider, string connectionString)
    {
        var keys = PersonalDataKeys.Generate();
        var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddOptions<StorageOptions>().Configure(o =>
        {
            o.Provider = provider;
            o.ConnectionString = connectionString;
        });
        services.AddPetitionsWorkflows(keys);
        await using var built = services.BuildServiceProvider();
        await built.GetRequiredService<Migrator>().MigrateAsync(CancellationToken.None);
        await using (var scope = built.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new SeedDemoData.Command("Bench-Password-1"));

        var due = (int)(openClocks * duePercent / 100);
        var seed = Stopwatch.StartNew();
        await SeedAsync(built.GetRequiredService<Database>(), due);
        Console.Error.WriteLine($"  seeded {openClocks:N0} petitions and clocks in {seed.Elapsed.TotalSeconds:F0} s");

        async Task<(TimeSpan, SweepClocks.Result)> Sweep()
        {
            await using var scope = built.CreateAsyncScope();
            var watch = Stopwatch.StartNew();
            var result = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new SweepClocks.Command());
            return (watch.Elapsed, result);
        }
        // The "nothing due" pass is timed on a database where the due ones were already escalated.
        var (allDue, result) = await Sweep();
        var noneDue = TimeSpan.MaxValue;
        for (var i = 0; i < 5; i++) noneDue = TimeSpan.FromTicks(Math.Min(noneDue.Ticks, (await Sweep()).Item1.Ticks));

        var start = Stopwatch.StartNew();
        await using (var service = await ServiceProcess.StartAsync(provider, connectionString, keys)) { }
        var startup = start.Elapsed;
        return new Figures(Petitions.Domain.Codes.Of(provider), openClocks, due, noneDue, allDue, result.Overdue, startup);
    }

    /// <summary>Petitions received 2026-01-05 with running intake clocks: the first <paramref name="due"/> fell due
    /// in January; the rest are checked far in the future.</summary>
    private async Task SeedAsync(Database database, int due)
    {
        var sqlite = database.Dialect.Name == "sqlite";
        var caseNumber = sqlite ? "'XF-330799-2026-' || printf('%07d', n)" : "'XF-330799-2026-' || lpad(n::text, 7, '0')";
        var instant = sqlite ? "'2026-01-05 02:00:00+00:00'" : "TIMESTAMPTZ '2026-01-05 02:00:00+00'";
        var date = (string d) => sqlite ? $"'{d}'" : $"DATE '{d}'";
        await using var session = new DbSession(database);
        await session.BeginAsync(CancellationToken.None);
        await session.ExecuteAsync(
            $"""
            WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < {openClocks})
            INSERT INTO petitions (case_number, bureau_id, bureau_path, channel, category, stage, subject, content, people_count,
                                   received_at, registered_at, query_code_hash, workflow_version, handling_org_id, first_petition)
            SELECT {caseNumber}, o.id, o.path, 'letter', 'complaint', 'registered', '批量事项', '批量', 1,
                   {instant}, {instant}, '{new string('0', 64)}', 1, o.id, {(sqlite ? "1" : "true")}
            FROM g CROSS JOIN organizations o
            WHERE o.code = '330799'
            """,
            null, CancellationToken.None);
        await session.ExecuteAsync(
            $"""
            INSERT INTO clocks (petition_id, kind, started_on, due_on, provisional, state, next_check_on)
            SELECT id, 'intake', {date("2026-01-05")},
                   CASE WHEN id <= @Due THEN {date("2026-01-20")} ELSE {date("2099-12-31")} END,
                   {(sqlite ? "0" : "false")}, 'running',
                   CASE WHEN id <= @Due THEN {date("2026-01-17")} ELSE {date("2099-12-28")} END
            FROM petitions
            """,
            new { Due = due }, CancellationToken.None);
        await session.CommitAsync(CancellationToken.None);
    }
}
