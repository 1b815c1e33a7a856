using System.Security.Cryptography;
using Petitions.Tests.Support;
using Petitions.Workflows.Features.Administration;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Privacy;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Workflows.Privacy;

public abstract class KeyRotationTests(StorageProvider provider, DatabaseServers servers) : IAsyncLifetime
{
    public sealed class OnSqlite(DatabaseServers servers) : KeyRotationTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : KeyRotationTests(StorageProvider.Postgres, servers);

    private TestDatabase _database = null!;

    public async ValueTask InitializeAsync() => _database = await servers.CreateAsync(provider);

    public ValueTask DisposeAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;

    [Fact]
    public async Task After_a_rotation_old_values_still_read_and_reencrypt_moves_them_to_the_new_key()
    {
        var hashKey = RandomNumberGenerator.GetBytes(32); // the hash key is not rotated
        var oldKey = new PersonalDataKeys("k2025", RandomNumberGenerator.GetBytes(32), hashKey);
        var newKey = new PersonalDataKeys("k2026", RandomNumberGenerator.GetBytes(32), hashKey);
        string caseNumber;
        await using (var before = await WorkflowHarness.StartAsync(_database, keys: oldKey))
            caseNumber = (await before.SendAsync(TestData.Petition(await before.ActorAsync("reception")) with { IdempotencyKey = "rotation" })).CaseNumber;

        await using (var during = await WorkflowHarness.StartAsync(_database, keys: newKey with { PreviousKeys = new Dictionary<string, byte[]> { ["k2025"] = oldKey.EncryptionKey } }))
        {
            Assert.Equal(TestData.IdNumber, (await during.SendAsync(new GetPetition.Query(caseNumber, await during.ActorAsync("office")))).Petitioner.IdNumber);
            Assert.Equal(2, await during.SendAsync(new ReencryptPersonalData.Command(BatchSize: 1))); // one ID number, one stored answer
            Assert.Equal(0, await during.SendAsync(new ReencryptPersonalData.Command()));
        }

        await using var after = await WorkflowHarness.StartAsync(_database, keys: newKey);
        Assert.Equal(TestData.IdNumber, (await after.SendAsync(new GetPetition.Query(caseNumber, await after.ActorAsync("office")))).Petitioner.IdNumber);
        Assert.All(await _database.QueryAsync<string>("SELECT id_number_cipher FROM petition_people"), c => Assert.StartsWith("k2026:", c, StringComparison.Ordinal));
        Assert.All(await _database.QueryAsync<string>("SELECT response_cipher FROM idempotency_keys"), c => Assert.StartsWith("k2026:", c, StringComparison.Ordinal));
    }
}
