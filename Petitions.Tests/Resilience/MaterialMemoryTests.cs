using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Petitions.Testing;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Resilience;

/// <summary>
/// A 50 MB file through the real service as its own process: the upload streams through (its resident memory grows by
/// a small part of the file, not by the file), and the download gives back every byte. Memory is the process's own
/// VmHWM against its resident size just before, after a small upload and download warmed the paths up.
/// </summary>
public abstract class MaterialMemoryTests(StorageProvider provider, DatabaseServers servers) : IAsyncLifetime
{
    public sealed class OnSqlite(DatabaseServers servers) : MaterialMemoryTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : MaterialMemoryTests(StorageProvider.Postgres, servers);

    private const long FileBytes = 50L * 1024 * 1024;

    /// <summary>What the upload may add to the resident memory: a buffered upload would add the whole 50 MiB.</summary>
    private const long MaxGrowth = 16L * 1024 * 1024;

    private TestDatabase _database = null!;
    private ServiceCluster _cluster = null!;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(10) }; // only so a broken service fails instead of hanging

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _database = await servers.CreateAsync(provider);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (_cluster is not null) await _cluster.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_50_MB_upload_streams_through_in_flat_memory_and_downloads_byte_exact()
    {
        _cluster = await ServiceCluster.SeedAsync(_database, new Dictionary<string, string>());
        await _cluster.StartAsync(1);
        var service = _cluster[0];
        var token = await _cluster.TokenAsync(_http, "reception");
        var register = await SendAsync(HttpMethod.Post, "/api/petitions", token, JsonContent.Create(new
        {
            channel = "letter", category = "complaint", subject = "大件材料", content = "附录音与扫描件。",
            petitioner = new { name = TestData.PetitionerName, phone = TestData.PetitionerPhone },
        }));
        var caseNumber = (await register.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("caseNumber").GetString()!;

        var warmUp = await UploadAsync(token, caseNumber, new GeneratedPdf(2 * 1024 * 1024, "预热"), "warm-up.pdf");
        Assert.Equal(GeneratedPdf.Sha256(2 * 1024 * 1024, "预热"), await DownloadHashAsync(token, caseNumber, warmUp));

        var before = service.Memory("VmRSS");
        service.ResetPeakMemory();
        var id = await UploadAsync(token, caseNumber, new GeneratedPdf(FileBytes, "五十兆", seed: 50), "large.pdf");
        var uploadPeak = service.Memory("VmHWM");

        var downloadBefore = service.Memory("VmRSS");
        service.ResetPeakMemory();
        var hash = await DownloadHashAsync(token, caseNumber, id);
        var downloadPeak = service.Memory("VmHWM");

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{provider}: resident {before / 1048576.0:F1} MiB before the upload, peak {uploadPeak / 1048576.0:F1} MiB during it (+{(uploadPeak - before) / 1048576.0:F1}); "
            + $"{downloadBefore / 1048576.0:F1} MiB before the download, peak {downloadPeak / 1048576.0:F1} MiB (+{(downloadPeak - downloadBefore) / 1048576.0:F1})");
        Assert.Equal(GeneratedPdf.Sha256(FileBytes, "五十兆", seed: 50), hash);
        Assert.True(uploadPeak - before < MaxGrowth, $"the upload grew the service by {(uploadPeak - before) / 1048576.0:F1} MiB");
        Assert.True(downloadPeak - downloadBefore < MaxGrowth, $"the download grew the service by {(downloadPeak - downloadBefore) / 1048576.0:F1} MiB");
        Assert.Equal(FileBytes + 2 * 1024 * 1024, Assert.Single(await _database.QueryAsync<long>("SELECT material_bytes FROM petitions")));
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(_cluster[0].BaseAddress, path)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
    }

    /// <summary>Uploads a generated file, streamed from its generator (chunked: the client holds none of it).</summary>
    private async Task<long> UploadAsync(string token, string caseNumber, Stream file, string name)
    {
        var content = new StreamContent(file, 64 * 1024);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        using var form = new MultipartFormDataContent { { new StringContent("evidence"), "kind" }, { content, "file", name } };
        using var response = await SendAsync(HttpMethod.Post, $"/api/petitions/{caseNumber}/materials", token, form);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct))[0].GetProperty("id").GetInt64();
    }

    private async Task<byte[]> DownloadHashAsync(string token, string caseNumber, long id)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}/materials/{id}", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync(Ct);
        return await SHA256.HashDataAsync(body, Ct);
    }
}
