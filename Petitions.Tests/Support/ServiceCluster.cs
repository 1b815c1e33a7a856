using System.Net.Http.Json;
using System.Text.Json;
using Petitions.Workflows.Privacy;

namespace Petitions.Tests.Support;

/// <summary>
/// Service processes of one deployment: one database, one set of personal-data keys, one shared data-protection key
/// folder (so a token issued by one instance works on all) and the same settings. Instances can be killed and
/// started again on the same database.
/// </summary>
public sealed class ServiceCluster : IAsyncDisposable
{
    private readonly TestDatabase _database;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly PersonalDataKeys _keys = PersonalDataKeys.Generate();
    private readonly string _keysDirectory = Directory.CreateTempSubdirectory("petitions-keys-").FullName;
    private readonly List<ServiceProcess> _instances = [];

    private ServiceCluster(TestDatabase database, IReadOnlyDictionary<string, string> settings)
    {
        _database = database;
        _settings = settings;
    }

    public IReadOnlyList<ServiceProcess> Instances => _instances;

    /// <summary>The data-protection key folder the instances share.</summary>
    public string KeysDirectory => _keysDirectory;

    public ServiceProcess this[int index] => _instances[index];

    /// <summary>The organizations and users of <see cref="TestData"/>, written through the workflows; no instance runs yet.</summary>
    public static async Task<ServiceCluster> SeedAsync(TestDatabase database, IReadOnlyDictionary<string, string> settings)
    {
        var cluster = new ServiceCluster(database, settings);
        await (await WorkflowHarness.StartAsync(database, keys: cluster._keys)).DisposeAsync();
        return cluster;
    }

    /// <summary>Starts instances side by side and waits until all of them listen.</summary>
    public async Task StartAsync(int count) =>
        _instances.AddRange(await Task.WhenAll(Enumerable.Range(0, count).Select(_ => ServiceProcess.StartAsync(_database, _keys, _keysDirectory, _settings))));

    /// <summary>Starts an instance again in the place of one that was killed (or kills it first).</summary>
    public async Task RestartAsync(int index)
    {
        await _instances[index].DisposeAsync();
        _instances[index] = await ServiceProcess.StartAsync(_database, _keys, _keysDirectory, _settings);
    }

    /// <summary>A bearer token for a seeded user, from one instance.</summary>
    public async Task<string> TokenAsync(HttpClient client, string userName, int instance = 0)
    {
        var response = await client.PostAsJsonAsync(
            new Uri(_instances[instance].BaseAddress, "/api/auth/token"), new { userName, password = TestData.Password }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("accessToken").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances) await instance.DisposeAsync();
        Directory.Delete(_keysDirectory, recursive: true);
    }
}
