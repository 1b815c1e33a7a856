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
