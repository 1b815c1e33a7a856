using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Bench;
using Petitions.Domain;
using Petitions.Workflows.Privacy;
using Petitions.Workflows.Storage;

const string Usage = """
    dotnet run -c Release --project bench/Petitions.Bench [-- OPTIONS]    (every suite on both databases: 45–85 minutes here)
      --suite all|registration,lifecycle,lookup,sweep,report,peer,pages,search,materials
      --providers sqlite,postgres   --seconds 10   --workers 16   --petitions 1000000   --deadlines 100000
      --page-petitions 100000   --lifecycle-petitions 0   --rounds 5   --profile DIR
    """;
string[] options = ["--suite", "--providers", "--profile"];
string[] counts = ["--seconds", "--workers", "--petitions", "--deadlines", "--page-petitions", "--lifecycle-petitions", "--rounds"];
if (args.Any(a => a is "--help" or "-h"))
{
    Console.WriteLine(Usage);
    return 0;
}
// Every option takes a value; anything else stops here rather than start a run of an hour without it.
for (var i = 0; i < args.Length; i += 2)
{
    var problem = !options.Contains(args[i]) && !counts.Contains(args[i]) ? $"Unknown argument {args[i]}"
        : i + 1 == args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal) ? $"{args[i]} needs a value"
        : counts.Contains(args[i]) && !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out _) ? $"{args[i]} takes a whole number, not {args[i + 1]}"
        : null;
    if (problem is not null)
    {
        Console.Error.WriteLine($"{problem}.\n{Usage}");
        return 2;
    }
}
string[] allSuites = ["registration", "lifecycle", "lookup", "sweep", "report", "peer", "pages", "search", "materials"];
var suites = (Argument("--suite") ?? "all") is "all" ? allSuites : Argument("--suite")!.Split(',');
if (suites.Except(allSuites).ToList() is [_, ..] unknown)
{
    Console.Error.WriteLine($"Unknown suite {string.Join(", ", unknown)}; the suites are all, {string.Join(", ", allSuites)}.");
    return 2;
}
var seconds = Option("--seconds", 10);
var workers = Option("--workers", 16);
var petitions = Option("--petitions", 1_000_000);
var deadlines = Option("--deadlines", 100_000);
var pagePetitions = Option("--page-petitions", 100_000);
var lifecyclePetitions = Option("--lifecycle-petitions", 0);
var rounds = Option("--rounds", 5);
var profiler = Argument("--profile") is { } profileDirectory ? new Profiler(Path.GetFullPath(profileDirectory)) : null;
var providerCodes = (Argument("--providers") ?? "sqlite,postgres").Split(',');
if (providerCodes.Except(["sqlite", "postgres"]).ToList() is [_, ..] unknownProviders)
{
    Console.Error.WriteLine($"Unknown provider {string.Join(", ", unknownProviders)}; the benchmark runs on sqlite and postgres.");
    return 2;
}
var providers = providerCodes.Select(Codes.Parse<StorageProvider>).ToArray();
// A fresh service process keeps compiling its hot paths to optimized code for several seconds under load.
var warmUp = TimeSpan.FromSeconds(Math.Max(3, seconds / 2));
var duration = TimeSpan.FromSeconds(seconds);
var due = petitions / 100;

Console.WriteLine($"Petitions benchmark: {Environment.ProcessorCount} cores, {Cpu()}, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}");
Console.WriteLine($"Suites: {string.Join(", ", suites)}. Loads: {workers} concurrent clients, {seconds} s measured after {warmUp.TotalSeconds} s warm-up (registration and lifecycle: more, until the runtime stops recompiling their hot code).");
Console.WriteLine($"Load average at the start: {LoadAverage()}");
Console.WriteLine();

var results = new List<Results>();
await using (var databases = new BenchDatabases())
{
    foreach (var provider in providers)
    {
        var r = new Results(provider);
        results.Add(r);
        Task<string> NewDatabase() => databases.NewAsync(provider);
        if (suites.Contains("registration"))
        {
            Progress(provider, "registration");
            r.Registration = await new RegistrationBench(workers, warmUp, duration, profiler).RunAsync(provider, NewDatabase);
        }
        if (suites.Contains("lifecycle"))
        {
            Progress(provider, lifecyclePetitions == 0 ? "full lifecycle" : $"full lifecycle over {lifecyclePetitions:N0} petitions");
            r.Lifecycle = await new LifecycleBench(workers, warmUp, duration, lifecyclePetitions, profiler).RunAsync(provider, databases);
        }
        if (suites.Contains("sweep") || suites.Contains("lookup"))
        {
            // One large database serves both suites: seeding it is most of their time.
            Progress(provider, $"seeding {petitions:N0} petitions with open clocks");
            var connectionString = await NewDatabase();
            var keys = PersonalDataKeys.Generate();
            var seeding = Stopwatch.StartNew();
            await using (var services = BenchServices.Compose(provider, BenchDatabases.WithoutCommandTimeout(provider, connectionString), keys))
            {
                await BenchServices.PrepareAsync(services);
                var database = services.GetRequiredService<Database>();
                await BulkPetitions.PetitionsAsync(database, petitions);
                await BulkPetitions.IntakeClocksAsync(database, due);
            }
            Console.Error.WriteLine($"  seeded in {seeding.Elapsed.TotalSeconds:F0} s");
            if (suites.Contains("sweep"))
            {
                Progress(provider, "sweep and service start");
                r.Sweep = await new SweepBench(due).RunAsync(provider, connectionString, keys, NewDatabase);
            }
            if (suites.Contains("lookup"))
            {
                Progress(provider, "public lookup");
                r.Lookup = await new LookupBench(workers, duration).RunAsync(provider, connectionString, keys);
            }
        }
        if (suites.Contains("report"))
        {
            Progress(provider, $"a year's report over {petitions:N0} petitions");
            r.Report = await new ReportBench(petitions).RunAsync(provider, await NewDatabase());
        }
        if (suites.Contains("peer"))
        {
            Progress(provider, $"{deadlines:N0} deadlines: Hangfire delayed jobs against clock rows");
            r.Peer = await new HangfirePeerBench(deadlines, workers).RunAsync(provider, NewDatabase);
        }
        if (suites.Contains("pages"))
        {
            Progress(provider, $"staff pages over {pagePetitions:N0} petitions");
            r.Pages = await new PagesBench(pagePetitions).RunAsync(provider, await NewDatabase());
        }
        if (suites.Contains("search"))
        {
            Progress(provider, $"petition search and workbench over {pagePetitions:N0} petitions");
            r.Search = await new SearchBench(pagePetitions).RunAsync(provider, await NewDatabase());
        }
        if (suites.Contains("materials"))
        {
            Progress(provider, $"materials: {MaterialBench.FileBytes / 1e6:F0} MB up and down, {rounds} rounds; a {MaterialBench.LargeFileBytes / 1e6:F0} MB upload's memory");
            r.Materials = await new MaterialBench(rounds).RunAsync(provider, NewDatabase);
        }
    }
}

Console.WriteLine($"Load average at the end: {LoadAverage()} (1, 5, 15 minutes; well above {Environment.ProcessorCount}, other work competed with the benchmark)");
Console.WriteLine();
IssueTable(results, petitions, due);
Table(results, petitions, due, workers);
if (results.Any(r => r.Peer is not null)) PeerTable(results, workers);
if (results.Any(r => r.Pages is not null)) PagesTable(results);
if (results.Any(r => r.Search is not null)) SearchTable(results);
if (results.Any(r => r.Materials is not null)) MaterialsTable(results);
return 0;

// Issue 17's figures, each beside the floor it is set against, measured in this run on the same database.
static void IssueTable(List<Results> results, int petitions, int due)
{
    var rows = new List<(string Figure, string Target, Func<Results, string?> Value)>
    {
        ("full lifecycle through HTTP; floor: the same lifecycle in-process", "≥ 300/s on SQLite, ≥ 100/s on PostgreSQL",
            r => r.Lifecycle is { } l ? $"{l.HttpPerSecond:F0}/s; floor {l.FloorPerSecond:F0}/s; {Percent(l.HttpPerSecond / l.FloorPerSecond)}" : null),
        ($"sweep, {due:N0} due of {petitions:N0} open clocks; floor: the same rows set-based", "≤ 2 s on SQLite, ≤ 5 s on PostgreSQL",
            r => r.Sweep is { } s ? $"{s.AllDue.TotalSeconds:F2} s; floor {s.Floor.TotalSeconds:F2} s; {Times(s.AllDue / s.Floor)}" : null),
        ($"public lookup p99 at {petitions:N0} petitions; floor: one indexed read", "≤ 5 ms",
            r => r.Lookup is { } k ? $"{Ms(k.P99)}; floor {Ms(k.FloorP99)}; {Times(k.P99 / k.FloorP99)}" : null),
        ("registration through HTTP; floor: its rows straight through the store", "≥ 2,000/s on SQLite",
            r => r.Registration is { } g ? $"{g.HttpPerSecond:F0}/s; floor {g.FloorPerSecond:F0}/s; {Percent(g.Ratio)}" : null),
        ("deadlines all fired, ours against Hangfire's; floor: the escalations set-based", "faster than the peer",
            r => r.Peer is { } p
                ? $"{p.Deadlines:N0}: ours {p.Clocks.AllFired.TotalSeconds:F2} s, Hangfire {p.Hangfire.AllFired.TotalSeconds:F2} s ({Times(p.Clocks.AllFired / p.Hangfire.AllFired)}); " +
                  $"floor {p.Floor.TotalSeconds:F2} s; {Times(p.Clocks.AllFired / p.Floor)}"
                : null),
        ($"startup with {petitions:N0} open clocks; floor: the start on an empty database", "≤ 1 s (≤ 3 s met)",
            r => r.Sweep is { } s ? $"{s.Startup.TotalSeconds:F2} s; floor {s.EmptyStartup.TotalSeconds:F2} s; {Times(s.Startup / s.EmptyStartup)}" : null),
        ($"year's summary at {petitions:N0}, warm; floor: one sum of the counters", "≤ 100 ms (≤ 1 s met)",
            r => r.Report is { } p ? $"{Ms(p.CountyWarm)}; floor {Ms(p.Floor)}; {Times(p.CountyWarm / p.Floor)}" : null),
    };
    var measured = rows.Where(row => results.Any(r => row.Value(r) is not null)).ToList();
    if (measured.Count == 0) return;
    Console.WriteLine("Issue 17's figures: measured; the floor; measured against the floor (a rate as a share of it, a time as a multiple).");
    Console.WriteLine();
    Console.WriteLine($"| figure | {string.Join(" | ", results.Select(r => Codes.Of(r.Provider)))} | target |");
    Console.WriteLine($"|---|{string.Concat(results.Select(_ => "---|"))}---|");
    foreach (var (figure, target, value) in measured)
        Console.WriteLine($"| {figure} | {string.Join(" | ", results.Select(r => value(r) ?? "—"))} | {target} |");
    Console.WriteLine();
}

static string Percent(double share) => $"{share * 100:F0} %";

static string Times(double multiple) => $"×{multiple.ToString(multiple >= 10 ? "F0" : multiple >= 1 ? "F1" : "F2", CultureInfo.InvariantCulture)}";

static void Table(List<Results> results, int petitions, int due, int workers)
{
    var rows = new List<(string Figure, string Target, Func<Results, string?> Value)>
    {
        ("registration, raw storage floor", "", r => r.Registration is { } g ? $"{g.FloorPerSecond:F0}/s" : null),
        ("registration through HTTP", "", r => r.Registration is { } g ? $"{g.HttpPerSecond:F0}/s" : null),
        ("registration, HTTP / floor", "≥ 40 %", r => r.Registration is { } g ? $"{g.Ratio * 100:F0} %" : null),
        ("registration: service CPU each, service peak memory", "", r => r.Registration is { } g ? $"{g.ServiceCpuMsPerRegistration:F2} ms, {g.PeakMemoryMiB:F0} MiB" : null),
        ("full lifecycle, workflows in-process (floor)", "", r => r.Lifecycle is { } l ? $"{l.FloorPerSecond:F0} petitions/s" : null),
        ("full lifecycle in-process: CPU per petition, workflows / database server", "",
            r => r.Lifecycle is { } l ? $"{l.FloorCpuMsPerPetition:F2} / {l.FloorDatabaseCpuMsPerPetition:F2} ms" : null),
        ("full lifecycle through HTTP", "≥ 300/s on SQLite", r => r.Lifecycle is { } l ? $"{l.HttpPerSecond:F0} petitions/s" : null),
        ("full lifecycle: CPU per petition, service / database server / clients", "",
            r => r.Lifecycle is { } l ? $"{l.ServiceCpuMsPerPetition:F2} / {l.DatabaseCpuMsPerPetition:F2} / {l.ClientCpuMsPerPetition:F2} ms" : null),
        ($"full lifecycle: what that CPU allows on {Environment.ProcessorCount} cores", "",
            r => r.Lifecycle is { } l ? $"{l.CoresAllowPerSecond:F0} petitions/s" : null),
        ("full lifecycle: statements a petition cost the database server, in-process / through HTTP", "",
            r => r.Lifecycle is { StatementsPerPetition: { } http, FloorStatementsPerPetition: { } floor } ? $"{floor:F1} / {http:F1}" : null),
        ("full lifecycle: round trips a petition cost, in-process / through HTTP", "",
            r => r.Lifecycle is { RoundTripsPerPetition: { } http, FloorRoundTripsPerPetition: { } floor } ? $"{floor:F1} / {http:F1}" : null),
        ("public lookup p50 / p99, one client", "p99 ≤ 5 ms", r => r.Lookup is { } k ? $"{Ms(k.P50)} / {Ms(k.P99)}" : null),
        ($"public lookup, {workers} clients: lookups/s, p50 / p99", "", r => r.Lookup is { } k ? $"{k.LoadedPerSecond:F0}/s, {Ms(k.LoadedP50)} / {Ms(k.LoadedP99)}" : null),
        ($"sweep with nothing due ({petitions:N0} open clocks)", "≤ 10 ms", r => r.Sweep is { } s ? Ms(s.NoneDue) : null),
        ($"sweep escalating {due:N0} due clocks", "≤ 2 s", r => r.Sweep is { } s ? $"{s.AllDue.TotalSeconds:F2} s ({s.Escalated / s.AllDue.TotalSeconds:F0}/s)" : null),
        ($"report: a year's summary of {petitions:N0} petitions, county, cold / warm", "≤ 1 s",
            r => r.Report is { } p ? $"{Ms(p.CountyCold)} / {Ms(p.CountyWarm)}" : null),
        ("report: the same for one unit, cold / warm", "≤ 1 s", r => r.Report is { } p ? $"{Ms(p.UnitCold)} / {Ms(p.UnitWarm)}" : null),
        ($"service startup, {petitions:N0} petitions and open clocks", "≤ 3 s", r => r.Sweep is { } s ? $"{s.Startup.TotalSeconds:F2} s" : null),
        ($"service start + its own sweep of {due:N0} due", "", r => r.Sweep is { } s ? $"{s.StartAndSweep.TotalSeconds:F2} s" : null),
        ("service peak memory over start + sweep", "≤ 400 MB (381 MiB)", r => r.Sweep is { } s ? $"{s.PeakMemoryMiB:F0} MiB" : null),
    };
    var measured = rows.Where(row => results.Any(r => row.Value(r) is not null)).ToList();
    if (measured.Count == 0) return;
    Console.WriteLine($"| figure | {string.Join(" | ", results.Select(r => Codes.Of(r.Provider)))} | target |");
    Console.WriteLine($"|---|{string.Concat(results.Select(_ => "---:|"))}---|");
    foreach (var (figure, target, value) in measured)
        Console.WriteLine($"| {figure} | {string.Join(" | ", results.Select(r => value(r) ?? "—"))} | {target} |");
    Console.WriteLine();
    var failures = results.Sum(r => (r.Registration?.Failures ?? 0) + (r.Lifecycle?.Failures ?? 0) + (r.Lookup?.Failures ?? 0));
    if (failures > 0) Console.WriteLine($"**{failures} requests failed** (not counted in the figures above).");
}

static void PeerTable(List<Results> results, int workers)
{
    var deadlines = results.First(r => r.Peer is not null).Peer!.Deadlines;
    Console.WriteLine($"Deadlines: {deadlines:N0}, scheduled by {workers} concurrent callers, one call or transaction each; firing escalates each clock on both sides;");
    Console.WriteLine("lateness: each escalation's time after the scheduler (or the sweep) started with every deadline due.");
    Console.WriteLine();
    Console.WriteLine("| database | deadlines kept as | scheduled one by one | scheduled by one statement | storage growth | all fired | lateness p50 / p99 | escalated |");
    Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
    foreach (var r in results.Where(r => r.Peer is not null))
    {
        foreach (var (name, side) in new[] { ("Hangfire 1.8.25 delayed jobs (`BackgroundJob.Schedule`)", r.Peer!.Hangfire), ("clock rows + sweep (ours)", r.Peer.Clocks) })
            Console.WriteLine(
                $"| {Codes.Of(r.Provider)} | {name} | {Rate(side.Schedule, deadlines)} | {(side.ScheduleBulk is { } bulk ? Rate(bulk, deadlines) : "—")} | " +
                $"{side.Bytes / 1048576.0:F1} MiB | {Rate(side.AllFired, deadlines)} | {side.LatenessP50.TotalSeconds:F1} s / {side.LatenessP99.TotalSeconds:F1} s | " +
                $"{side.Escalated:N0}{(side.Failed > 0 ? $" ({side.Failed} failed)" : "")} |");
    }
    Console.WriteLine();
}

static void PagesTable(List<Results> results)
{
    var measured = results.Where(r => r.Pages is not null).ToList();
    Console.WriteLine($"Staff pages over {measured[0].Pages!.Petitions:N0} petitions (whole HTML answer, signed in with a cookie; median / slowest of 30 in a row):");
    Console.WriteLine();
    Console.WriteLine($"| page | user | {string.Join(" | ", measured.Select(r => Codes.Of(r.Provider)))} | size |");
    Console.WriteLine($"|---|---|{string.Concat(measured.Select(_ => "---:|"))}---:|");
    var first = measured[0].Pages!.Pages;
    for (var i = 0; i < first.Count; i++)
        Console.WriteLine(
            $"| `{first[i].Path}` | {first[i].User} | {string.Join(" | ", measured.Select(r => $"{Ms(r.Pages!.Pages[i].P50)} / {Ms(r.Pages.Pages[i].Slowest)}"))} | " +
            $"{first[i].Bytes / 1024.0:F0} KiB |");
    Console.WriteLine();
}

static void SearchTable(List<Results> results)
{
    var measured = results.Where(r => r.Search is not null).ToList();
    Console.WriteLine($"Petition search and workbench over {measured[0].Search!.Petitions:N0} petitions (whole HTML page with the total, signed in with a cookie; median / slowest of 30 in a row):");
    Console.WriteLine();
    Console.WriteLine($"| page | user | {string.Join(" | ", measured.Select(r => Codes.Of(r.Provider)))} |");
    Console.WriteLine($"|---|---|{string.Concat(measured.Select(_ => "---:|"))}");
    var first = measured[0].Search!.Pages;
    for (var i = 0; i < first.Count; i++)
        Console.WriteLine($"| `{first[i].Path}` | {first[i].User} | {string.Join(" | ", measured.Select(r => $"{Ms(r.Search!.Pages[i].P50)} / {Ms(r.Search.Pages[i].Slowest)}"))} |");
    Console.WriteLine($"| **median of the searches' medians** (target ≤ 200 ms) | | {string.Join(" | ", measured.Select(r => $"**{Ms(r.Search!.Median)}**"))} |");
    Console.WriteLine();
}

static void MaterialsTable(List<Results> results)
{
    var measured = results.Where(r => r.Materials is not null).ToList();
    Console.WriteLine($"Materials: a {MaterialBench.FileBytes / 1e6:F0} MB file, one at a time (median MB/s); the floor is the same bytes through the store without HTTP:");
    Console.WriteLine();
    Console.WriteLine($"| figure | {string.Join(" | ", measured.Select(r => Codes.Of(r.Provider)))} |");
    Console.WriteLine($"|---|{string.Concat(measured.Select(_ => "---:|"))}");
    var rows = new (string Figure, Func<MaterialBench.Figures, string> Value)[]
    {
        ("upload, store floor (staged, sealed, written)", m => $"{m.FloorUploadMBps:F1} MB/s"),
        ("upload through HTTP (multipart)", m => $"{m.HttpUploadMBps:F1} MB/s"),
        ("upload, HTTP / floor", m => $"{m.UploadRatio * 100:F0} %"),
        ("download, store floor (read, opened)", m => $"{m.FloorDownloadMBps:F1} MB/s"),
        ("download through HTTP", m => $"{m.HttpDownloadMBps:F1} MB/s"),
        ("download, HTTP / floor", m => $"{m.DownloadRatio * 100:F0} %"),
        ($"service resident before a {MaterialBench.LargeFileBytes / 1e6:F0} MB upload, peak during it", m => $"{m.ResidentBeforeMiB:F0} MiB, {m.PeakMiB:F0} MiB (+{m.PeakMiB - m.ResidentBeforeMiB:F0})"),
    };
    foreach (var (figure, value) in rows) Console.WriteLine($"| {figure} | {string.Join(" | ", measured.Select(r => value(r.Materials!)))} |");
    Console.WriteLine();
}

static string Rate(TimeSpan elapsed, int count) => $"{elapsed.TotalSeconds:F1} s ({count / elapsed.TotalSeconds:F0}/s)";

static string Ms(TimeSpan t) => $"{t.TotalMilliseconds:F2} ms";

static void Progress(StorageProvider provider, string what) => Console.Error.WriteLine($"[{Codes.Of(provider)}] {what}…");

int Option(string name, int fallback) => Argument(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

string? Argument(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

// The 1-, 5- and 15-minute load averages: a run on a busy machine says so.
static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

static string Cpu() =>
    File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
        : "unknown CPU";

/// <summary>What the suites measured on one database; a suite that did not run leaves its figures null.</summary>
internal sealed class Results(StorageProvider provider)
{
    public StorageProvider Provider { get; } = provider;
    public RegistrationBench.Figures? Registration { get; set; }
    public LifecycleBench.Figures? Lifecycle { get; set; }
    public LookupBench.Figures? Lookup { get; set; }
    public SweepBench.Figures? Sweep { get; set; }
    public ReportBench.Figures? Report { get; set; }
    public HangfirePeerBench.Figures? Peer { get; set; }
    public PagesBench.Figures? Pages { get; set; }
    public SearchBench.Figures? Search { get; set; }
    public MaterialBench.Figures? Materials { get; set; }
}
