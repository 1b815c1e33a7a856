using System.Diagnostics;
using System.Globalization;

namespace Petitions.Bench;

/// <summary>
/// With <c>--profile DIR</c>: after a load's measured window, the same load runs once more while <c>dotnet-trace</c>
/// samples the service's threads and <c>dotnet-counters</c> records its runtime, ASP.NET Core and Petitions meters
/// (the tools pinned in <c>.config/dotnet-tools.json</c>). The figures come from the untraced window; the traced one
/// says where the service's time goes. The top methods by exclusive and inclusive samples are printed; the
/// <c>.nettrace</c> files open in PerfView or speedscope (<c>dotnet-trace convert --format speedscope</c>).
/// </summary>
internal sealed class Profiler(string directory)
{
    private bool _restored;

    public async Task TraceAsync(ServiceProcess service, string name, TimeSpan duration, Func<Task> load)
    {
        Directory.CreateDirectory(directory);
        if (!_restored) await DotnetToolAsync("restore");
        _restored = true;
        var trace = Path.Combine(directory, $"{name}.nettrace");
        var counters = Path.Combine(directory, $"{name}.counters.csv");
        var window = duration.ToString(@"dd\:hh\:mm\:ss", CultureInfo.InvariantCulture);
        var pid = service.ProcessId.ToString(CultureInfo.InvariantCulture);
        var tracing = ToolAsync("dotnet-trace", "collect", "-p", pid, "--profile", "dotnet-sampled-thread-time", "--duration", window, "-o", trace);
        var counting = ToolAsync(
            "dotnet-counters", "collect", "-p", pid, "--counters", "System.Runtime,Microsoft.AspNetCore.Hosting,Microsoft.AspNetCore.Server.Kestrel,Petitions",
            "--duration", window, "--format", "csv", "-o", counters);
        // CPU only (the thread-time samples count waiting threads too): perf, where installed, with the service's
        // perf map for the JIT-compiled frames.
        var sampling = File.Exists("/usr/bin/perf") ? PerfAsync(pid, duration, name) : Task.CompletedTask;
        // The sessions attach in well under a second; the load then outlasts the traced window.
        await load();
        await Task.WhenAll(tracing, counting, sampling);
        Console.Error.WriteLine($"  profile: {directory}/{name}.*");
        Summarize(name, counters);
        foreach (var inclusive in new[] { false, true })
        {
            string[] top = inclusive ? ["report", trace, "topN", "-n", "25", "--inclusive"] : ["report", trace, "topN", "-n", "25"];
            var report = await ToolAsync("dotnet-trace", top);
            File.WriteAllText(Path.Combine(directory, $"{name}.top-{(inclusive ? "inclusive" : "exclusive")}.txt"), report);
        }
    }

    /// <summary>The service's environment while profiled: a perf map of its JIT-compiled code for <c>perf report</c>, which
    /// names that code only where it is not double-mapped for W^X (else it shows as <c>memfd:doublemapper</c>).</summary>
    public static IReadOnlyDictionary<string, string> ServiceSettings { get; } =
        new Dictionary<string, string> { ["DOTNET_PerfMapEnabled"] = "3", ["DOTNET_EnableWriteXorExecute"] = "0" };

    private async Task PerfAsync(string pid, TimeSpan duration, string name)
    {
        var data = Path.Combine(directory, $"{name}.perf.data");
        await RunAsync("perf", "record", "-F", "499", "-g", "-p", pid, "-o", data, "--", "sleep", duration.TotalSeconds.ToString(CultureInfo.InvariantCulture));
        foreach (var sort in new[] { "dso", "dso,sym" })
            File.WriteAllText(
                Path.Combine(directory, $"{name}.perf-{sort.Replace(',', '-')}.txt"),
                await RunAsync("perf", "report", "-i", data, "--no-children", "-g", "none", "--sort", sort, "--stdio", "--percent-limit", "0.5"));
    }

    /// <summary>The counters' means over the traced window, the few that say where a request's time and memory go.</summary>
    private static void Summarize(string name, string counters)
    {
        var means = File.ReadLines(counters).Skip(1)
            .Select(line => line.Split(','))
            .Where(f => f.Length >= 5 && double.TryParse(f[^1], CultureInfo.InvariantCulture, out _))
            .GroupBy(f => string.Join(',', f[2..^2]), f => double.Parse(f[^1], CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.Average());
        double Mean(string counter) => means.Where(m => m.Key.StartsWith(counter, StringComparison.Ordinal)).Sum(m => m.Value);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name}: CPU {Mean("dotnet.process.cpu.time (s / 1 sec)[cpu.mode=user]"):F2} user + {Mean("dotnet.process.cpu.time (s / 1 sec)[cpu.mode=system]"):F2} system cores; " +
            $"allocated {Mean("dotnet.gc.heap.total_allocated") / 1e6:F0} MB/s; GC pauses {Mean("dotnet.gc.pause.time") * 100:F1} %; " +
            $"lock contentions {Mean("dotnet.monitor.lock_contentions"):F0}/s; database work in use {Mean("petitions.db.work.in_use"):F1}, queued {Mean("petitions.db.work.queued"):F1}"));
    }

    /// <summary>Runs a tool of the manifest with its own arguments (after <c>--</c>, which <c>dotnet tool run</c> would
    /// otherwise read) and returns its output.</summary>
    private static Task<string> ToolAsync(string tool, params string[] arguments) => DotnetToolAsync(["run", tool, "--", .. arguments]);

    /// <summary>Runs <c>dotnet tool …</c> in the current directory, which must be in the repository (the manifest is at its root).</summary>
    private static Task<string> DotnetToolAsync(params string[] arguments) => RunAsync("dotnet", ["tool", .. arguments]);

    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await errors}{await output}");
        return await output;
    }
}
