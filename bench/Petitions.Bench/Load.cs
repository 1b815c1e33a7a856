using System.Diagnostics;
using System.Globalization;
using Petitions.Testing;

namespace Petitions.Bench;

/// <summary>Runs an operation on several concurrent workers for a fixed time, counting completions and timing each.</summary>
internal static class Load
{
    public sealed record Result(long Completed, TimeSpan Elapsed, long[] SortedLatencyTicks)
    {
        public double PerSecond => Completed / Elapsed.TotalSeconds;

        /// <summary>The latency below which <paramref name="percent"/> % of the operations finished.</summary>
        public TimeSpan Percentile(double percent) =>
            SortedLatencyTicks.Length == 0
                ? TimeSpan.Zero
                : Stopwatch.GetElapsedTime(0, SortedLatencyTicks[(int)Math.Ceiling(percent / 100 * SortedLatencyTicks.Length) - 1]);
    }

    /// <summary>
    /// Runs the load in slices of <paramref name="slice"/> until the runtime of process <paramref name="pid"/> (the
    /// service, or this process for an in-process floor) has stopped recompiling: its tier-up thread used under 2 % of
    /// the process's CPU in a slice, at most 24 slices. A published service starts on precompiled code and recompiles
    /// its hot methods, with tiered PGO twice each, for tens of seconds after: a fixed 5 s warm-up measured some of
    /// that compiling (lifecycle on SQLite: 25 ms of service CPU a petition after 5 s, 14 ms after 20 s), and a rule on
    /// the CPU per operation alone stopped while it still went on (PostgreSQL: the tier-up thread at 15 % after 20 s).
    /// </summary>
    public static async Task WarmUpAsync(int workers, TimeSpan slice, int pid, Func<int, Task> operation)
    {
        var process = pid.ToString(CultureInfo.InvariantCulture);
        for (var i = 1; i <= 24; i++)
        {
            var cpu = ProcessCpu.Of(process);
            var tierUp = ProcessCpu.Threads(pid, TierUpThread);
            await RunAsync(workers, slice, operation);
            var spent = ProcessCpu.Of(process) - cpu;
            var compiling = ProcessCpu.Threads(pid, TierUpThread).Sum(t => (t.Value - tierUp.GetValueOrDefault(t.Key)).TotalSeconds);
            if (compiling < spent.TotalSeconds * 0.02 || i == 24)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  warm-up: {i} × {slice.TotalSeconds:F0} s; the last slice's CPU {compiling / Math.Max(spent.TotalSeconds, 0.01):P1} tier-up compiling"));
                return;
            }
        }
    }

    /// <summary>The runtime's background thread that recompiles hot methods at higher tiers (<c>comm</c> is cut to 15 characters).</summary>
    private const string TierUpThread = ".NET Tiered Com";

    /// <summary>This process's CPU time: what an in-process floor costs.</summary>
    public static TimeSpan OwnCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    public static async Task<Result> RunAsync(int workers, TimeSpan duration, Func<int, Task> operation)
    {
        var stopwatch = Stopwatch.StartNew();
        var latencies = await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var mine = new List<long>();
            while (stopwatch.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                await operation(worker * 1_000_000 + mine.Count);
                mine.Add(Stopwatch.GetTimestamp() - started);
            }
            return mine;
        })));
        var elapsed = stopwatch.Elapsed;
        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new Result(all.Length, elapsed, all);
    }
}
