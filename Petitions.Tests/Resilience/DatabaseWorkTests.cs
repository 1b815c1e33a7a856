using Petitions.Workflows.Storage;

namespace Petitions.Tests.Resilience;

/// <summary>The limit on concurrent database work an instance takes when none is configured, and the settings it refuses
/// (docs/decisions/0025).</summary>
public sealed class DatabaseWorkTests
{
    private static readonly int PerCore = Math.Max(8, 4 * Environment.ProcessorCount);

    [Theory]
    [InlineData(100)] // the drivers' default pool
    [InlineData(20)]
    [InlineData(50)]
    public void A_pool_gives_four_sessions_a_core_at_most_its_size_less_a_tenth(int pool)
    {
        var work = DatabaseWork.For(new StorageOptions(), pool);
        Assert.Equal(Math.Min(PerCore, pool - pool / 10), work.Limit);
        Assert.Equal(10 * work.Limit, work.QueueLimit);
    }

    [Theory]
    [InlineData(1, 1)] // one connection, none left over: still one session
    [InlineData(5, 4)]
    [InlineData(9, 8)]
    public void A_small_pool_keeps_one_connection_apart(int pool, int limit) =>
        Assert.Equal(limit, DatabaseWork.For(new StorageOptions(), pool).Limit);

    [Fact]
    public void Without_a_pool_the_limit_is_four_sessions_a_core() =>
        Assert.Equal(PerCore, DatabaseWork.For(new StorageOptions(), null).Limit);

    [Fact]
    public void A_configured_limit_stands_even_above_the_default() =>
        // 77: neither this default nor the one before it (90 of a pool of 100), so only the setting can give it.
        Assert.Equal(77, DatabaseWork.For(new StorageOptions { MaxConcurrentWork = 77 }, 100).Limit);

    [Theory]
    [InlineData(0, null, "Storage:MaxConcurrentWork")]
    [InlineData(-1, null, "Storage:MaxConcurrentWork")]
    [InlineData(null, -1, "Storage:WorkQueueLimit")]
    public void A_limit_below_one_or_a_negative_queue_is_refused_naming_the_key(int? limit, int? queue, string setting)
    {
        var refused = Assert.Throws<InvalidOperationException>(() =>
            DatabaseWork.For(new StorageOptions { MaxConcurrentWork = limit, WorkQueueLimit = queue }, 100));
        Assert.Contains(setting, refused.Message, StringComparison.Ordinal);
    }
}
