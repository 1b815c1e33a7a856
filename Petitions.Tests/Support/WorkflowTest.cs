using Petitions.Domain;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Support;

/// <summary>
/// A test class that runs against one database provider, each test on a fresh seeded database. Concrete
/// classes name the provider: one nested class per provider, so every test runs on every database it claims.
/// </summary>
public abstract class WorkflowTest(StorageProvider provider, DatabaseServers servers) : IAsyncLifetime
{
    protected WorkflowHarness Harness { get; private set; } = null!;
    protected TestDatabase Database => Harness.Database;
    protected StorageProvider Provider => provider;

    /// <summary>The named rule that refused <paramref name="attempt"/>.</summary>
    protected static async Task<string> Refused(Func<Task> attempt) => (await Assert.ThrowsAsync<RuleViolationException>(attempt)).Rule;

    public async ValueTask InitializeAsync() => Harness = await WorkflowHarness.StartAsync(await servers.CreateAsync(provider));

    public async ValueTask DisposeAsync()
    {
        if (Harness is null) return;
        await Harness.DisposeAsync();
        await Harness.Database.DisposeAsync();
    }
}
