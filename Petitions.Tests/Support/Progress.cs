using System.Diagnostics;

namespace Petitions.Tests.Support;

/// <summary>
/// Waiting in tests that hold on a busy machine: a wait ends when its goal is reached and fails only when what it
/// watches has not moved for <see cref="Stall"/>. A loaded machine makes work slow, never stuck, so no test has a
/// budget for the whole wait (README: tests on a busy machine).
/// </summary>
public static class Progress
{
    /// <summary>How long nothing may happen before a wait gives up.</summary>
    public static readonly TimeSpan Stall = TimeSpan.FromMinutes(2);

    /// <summary>Waits until <paramref name="count"/> reaches <paramref name="goal"/>, failing after <see cref="Stall"/>
    /// without a change.</summary>
    public static async Task UntilAsync(Func<Task<long>> count, long goal, string what, Func<string>? context = null)
    {
        var (last, still) = (long.MinValue, Stopwatch.StartNew());
        while (await count() is var now && now < goal)
        {
            if (now != last) (last, still) = (now, Stopwatch.StartNew());
            Assert.True(still.Elapsed < Stall, $"Nothing happened for {Stall.TotalSeconds:F0} s waiting until {what}: {now} of {goal}.{(context is null ? "" : "\n" + context())}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
