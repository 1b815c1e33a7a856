using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using Petitions.Bench;
using Petitions.Testing;
using Petitions.Workflows.Storage;

// dotnet run -c Release --project bench/Petitions.Bench [-- --seconds 10 --workers 16 --providers sqlite,postgres]
// dotnet run -c Release --project bench/Petitions.Bench -- --suite sweep [--clocks 1000000 --providers sqlite,postgres]
// dotnet run -c Release --project bench/Petitions.Bench -- --suite report [--petitions 1000000 --providers sqlite,postgres]
var seconds = Option("--seconds", 10);
var workers = Option("--workers", 16);
var providers = (Argument("--providers") ?? "sqlite,postgres").Split(',');

Console.WriteLine($"Petitions benchmark: {Environment.ProcessorCount} cores, {Cpu()}, .NET {Environment.Version}");
Console.WriteLine();

if (Argument("--suite") == "sweep")
{
    var clocks = Option("--clocks", 1_000_000);
    Console.WriteLine($"Deadline sweep: {clocks:N0} open clocks, 1% of them past due.");
    var sweepBench = new SweepBench(clocks, 1.0);
    var sweepResults = await OnEachDatabaseAsync("sweep", sweepBench.RunAsync);
    Console.WriteLine("| database | open clocks | due | sweep, none due | sweep, all due escalated | escalations/s | service startup |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
    foreach (var r in sweepResults)
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {r.Provider} | {r.OpenClocks:N0} | {r.Due:N0} | {r.NoneDue.TotalMilliseconds:F2} ms | {r.AllDue.TotalSeconds:F2} s ({r.Escalated:N0}) | {r.Escalated / r.AllDue.TotalSeconds:F0} | {r.Startup.TotalSeconds:F2} s |"));
    return;
}

if (Argument("--suite") == "report")
{
    var petitions = Option("--petitions", 1_000_000);
    Console.WriteLine($"Reports: a year's summary over {petitions:N0} petitions of one county (8 units); cold = first call on empty connection pools, warm = best of 5.");
    var reportResults = await OnEachDatabaseAsync("report", new ReportBench(petitions).RunAsync);
    Console.WriteLine("| database | petitions | counter rows | seeding | county, cold | county, warm | one unit, cold | one unit, warm |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var r in reportResults)
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {r.Provider} | {r.Received:N0} | {r.CounterRows:N0} | {r.Seed.TotalSeconds:F0} s | {r.CountyCold.TotalMilliseconds:F0} ms | {r.CountyWarm.TotalMilliseconds:F0} ms | {r.UnitCold.TotalMilliseconds:F0} ms | {r.UnitWarm.TotalMilliseconds:F0} ms |"));
    return;
}

Console.WriteLine($"Registration: {workers} concurrent clients, {seconds} s measured after {seconds / 5} s warm-up, per database.");
var bench = new RegistrationBench(workers, TimeSpan.FromSeconds(Math.Max(1, seconds / 5)), TimeSpan.FromSeconds(seconds));
var results = new List<RegistrationBench.Figures>();
var temporary = Directory.CreateTempSubdirectory("petitions-bench-").FullName;
try
{
    if (providers.Contains("sqlite"))
    {
        var n = 0;
        results.Add(await bench.RunAsync(StorageProvider.Sqlite, () => Task.FromResult($"Data Source={Path.Combine(temporary, $"bench-{n++}.db")}")));
    }
    if (providers.Contains("postgres"))
    {
        var binaries = TemporaryPostgres.FindBinaries() ?? throw new InvalidOperationException("PostgreSQL binaries not found (Debian package 'postgresql').");
        // Durable: PostgreSQL's default fsync and synchronous commit, as a deployment would run it.
        await using var server = await TemporaryPostgres.StartAsync(binaries, durable: true);
        var n = 0;
        results.Add(await bench.RunAsync(StorageProvider.Postgres, async () =>
        {
            var name = $"bench_{n++}";
            await using var admin = new NpgsqlConnection(server.ConnectionString("postgres"));
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
            return server.ConnectionString(name);
        }));
    }
}
finally
{
    SqliteConnection.ClearAllPools();
    NpgsqlConnection.ClearAllPools();
    Directory.Delete(temporary, recursive: true);
}

Console.WriteLine("| database | floor (registrations/s) | HTTP API (registrations/s) | HTTP / floor | service CPU per registration | service peak memory | failed requests |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
foreach (var r in results)
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {r.Provider} | {r.FloorPerSecond:F0} | {r.HttpPerSecond:F0} | {r.Ratio:P0} | {r.ServiceCpuMsPerRegistration:F2} ms | {r.PeakMemoryMiB:F0} MiB | {r.Failures} |"));
return;

// Runs a suite on a fresh SQLite file and on a fresh database of a throwaway durable PostgreSQL, as asked.
async Task<List<T>> OnEachDatabaseAsync<T>(string name, Func<StorageProvider, string, Task<T>> run)
{
    var figures = new List<T>();
    var folder = Directory.CreateTempSubdirectory($"petitions-{name}-").FullName;
    try
    {
        if (providers.Contains("sqlite"))
            figures.Add(await run(StorageProvider.Sqlite, $"Data Source={Path.Combine(folder, $"{name}.db")}"));
        if (providers.Contains("postgres"))
        {
            await using var server = await TemporaryPostgres.StartAsync(TemporaryPostgres.FindBinaries()!, durable: true);
            await using (var admin = new NpgsqlConnection(server.ConnectionString("postgres")))
            {
                await admin.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
                await create.ExecuteNonQueryAsync();
            }
            figures.Add(await run(StorageProvider.Postgres, server.ConnectionString(name)));
        }
    }
    finally
    {
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
    return figures;
}

int Option(string name, int fallback) => Argument(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

string? Argument(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static string Cpu() =>
    File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
        : "unknown CPU";
