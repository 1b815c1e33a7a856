using System.Diagnostics;

namespace Petitions.Bench;

/// <summary>Runs an operation on several concurrent workers for a fixed time and counts completions.</summary>
internal static class Load
{
    public sealed record Result(long Completed, TimeSpan Elapsed)
    {
        public double PerSecond => Completed / Elapsed.TotalSeconds;
    }

    public static async Task<Result> RunAsync(int workers, TimeSpan duration, Func<int, Task> operation)
    {
        long completed = 0;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var n = 0;
            while (stopwatch.Elapsed < duration)
            {
                await operation(worker * 1_000_000 + n++);
                Interlocked.Increment(ref completed);
            }
        })));
        return new Result(completed, stopwatch.Elapsed);
    }
}
