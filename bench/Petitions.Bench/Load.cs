using System.Diagnostics;

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
    /// Runs the load in slices of <paramref name="slice"/> until the CPU each operation costs (<paramref name="cpuTime"/>:
    /// the service's, or this process's for an in-process floor) stops falling by more than 5 % from one slice to the
    /// next, at most 12 slices. A published service starts on precompiled code and recompiles its hot methods for tens of
    /// seconds after; a fixed 5 s warm-up measured some of that compiling (lifecycle on SQLite: 25 ms of service CPU a
    /// petition after 5 s, 14 ms after 20 s).
    /// </summary>
    public static async Task WarmUpAsync(int workers, TimeSpan slice, Func<TimeSpan> cpuTime, Func<int, Task> operation)
    {
        double? before = null;
        for (var i = 0; i < 12; i++)
        {
            var cpu = cpuTime();
            var run = await RunAsync(workers, slice, operation);
            var each = (cpuTime() - cpu).TotalMilliseconds / Math.Max(1, run.Completed);
            if (before is { } previous && each > previous * 0.95) return;
            before = each;
        }
    }

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
