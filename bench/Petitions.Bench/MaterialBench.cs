using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Domain;
using Petitions.Testing;
using Petitions.Workflows;
using Petitions.Workflows.Materials;
using Petitions.Workflows.Privacy;
using Petitions.Workflows.Storage;

namespace Petitions.Bench;

/// <summary>
/// Materials: a 20 MB file uploaded (multipart) and downloaded through the real service over HTTP, one at a time,
/// against the floor: the same bytes through the store in the benchmark's own process with no HTTP, no pipeline and no
/// audit (sealed chunk by chunk into a staged file, written in one transaction, then read back and opened chunk by
/// chunk). Then the service's resident memory before, and its peak during, a 50 MB upload. Throughputs are the median
/// of the rounds, each a different file (the same file twice is refused).
/// </summary>
internal sealed class MaterialBench(int rounds)
{
    public const long FileBytes = 20_000_000;
    public const long LargeFileBytes = 50_000_000;

    public sealed record Figures(
        double FloorUploadMBps, double FloorDownloadMBps, double HttpUploadMBps, double HttpDownloadMBps, double ResidentBeforeMiB, double PeakMiB)
    {
        public double UploadRatio => HttpUploadMBps / FloorUploadMBps;
        public double DownloadRatio => HttpDownloadMBps / FloorDownloadMBps;
    }

    public async Task<Figures> RunAsync(StorageProvider provider, Func<Task<string>> newDatabase)
    {
        var keys = PersonalDataKeys.Generate();
        var (floorUp, floorDown) = await FloorAsync(provider, await newDatabase(), keys);

        var serviceDatabase = await newDatabase();
        await using (var setup = BenchServices.Compose(provider, serviceDatabase, keys)) await BenchServices.PrepareAsync(setup);
        await using var service = await ServiceProcess.StartAsync(provider, serviceDatabase, keys);
        using var client = new HttpClient { BaseAddress = service.Address, Timeout = TimeSpan.FromMinutes(10) };
        var token = await ServiceProcess.TokenAsync(client, "reception");
        using var registered = await ServiceProcess.PostAsync(client, "/api/petitions", token, JsonSerializer.SerializeToUtf8Bytes(Registrations.Body(1)));
        var caseNumber = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("caseNumber").GetString()!;

        var up = new List<double>();
        var down = new List<double>();
        for (var round = -1; round < rounds; round++) // round -1 warms the service up
        {
            var (id, upload) = await UploadAsync(client, token, caseNumber, new GeneratedPdf(FileBytes, $"http-{round}", seed: 100 + round));
            var download = await DownloadAsync(client, token, caseNumber, id);
            if (round < 0) continue;
            up.Add(MBps(FileBytes, upload));
            down.Add(MBps(FileBytes, download));
        }

        var before = service.ResidentMiB();
        service.ResetPeakMemory();
        await UploadAsync(client, token, caseNumber, new GeneratedPdf(LargeFileBytes, "large", seed: 1));
        return new Figures(floorUp, floorDown, Median(up), Median(down), before, service.PeakMemoryMiB());
    }

    /// <summary>The same work without HTTP: staging (sealing into a temporary file), writing the chunks in one transaction,
    /// and reading them back through the store.</summary>
    private async Task<(double Up, double Down)> FloorAsync(StorageProvider provider, string connectionString, PersonalDataKeys keys)
    {
        await using var services = BenchServices.Compose(provider, connectionString, keys);
        await BenchServices.PrepareAsync(services);
        var reception = await BenchServices.ActorAsync(services, "reception");
        var caseNumber = (await BenchServices.SendAsync(services, Registrations.Command(1, reception))).CaseNumber;
        var up = new List<double>();
        var down = new List<double>();
        for (var round = -1; round < rounds; round++)
        {
            var started = Stopwatch.GetTimestamp();
            long id;
            await using (var scope = services.CreateAsyncScope())
            {
                var session = scope.ServiceProvider.GetRequiredService<DbSession>();
                var store = scope.ServiceProvider.GetRequiredService<MaterialStore>();
                await using var staged = await scope.ServiceProvider.GetRequiredService<MaterialStaging>()
                    .StageAsync(new GeneratedPdf(FileBytes, $"floor-{round}", seed: 200 + round), "floor.pdf", petitioner: false, "files[0]", CancellationToken.None);
                await session.BeginAsync(CancellationToken.None);
                var petition = (await scope.ServiceProvider.GetRequiredService<PetitionStore>().LoadAsync(caseNumber, CancellationToken.None))!;
                var contents = await store.StoreContentsAsync([new MaterialInput("evidence", null, staged)], CancellationToken.None);
                id = (await store.AttachAsync(petition.Id, petition.Petition.Stage, contents, reception, DateTimeOffset.UtcNow, CancellationToken.None))[0];
                await session.CommitAsync(CancellationToken.None);
            }
            var upload = Stopwatch.GetElapsedTime(started);

            started = Stopwatch.GetTimestamp();
            await using (var scope = services.CreateAsyncScope())
            {
                var store = scope.ServiceProvider.GetRequiredService<MaterialStore>();
                var petitionId = (await scope.ServiceProvider.GetRequiredService<PetitionStore>().LoadAsync(caseNumber, CancellationToken.None))!.Id;
                await using var content = store.OpenContent((await store.FindAsync(petitionId, id, CancellationToken.None))!);
                await content.CopyToAsync(Stream.Null);
            }
            var download = Stopwatch.GetElapsedTime(started);
            if (round < 0) continue;
            up.Add(MBps(FileBytes, upload));
            down.Add(MBps(FileBytes, download));
        }
        return (Median(up), Median(down));
    }

    private static async Task<(long Id, TimeSpan Elapsed)> UploadAsync(HttpClient client, string token, string caseNumber, Stream file)
    {
        var content = new StreamContent(file, 64 * 1024);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        using var form = new MultipartFormDataContent { { new StringContent("evidence"), "kind" }, { content, "file", "bench.pdf" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/petitions/{caseNumber}/materials") { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var started = Stopwatch.GetTimestamp();
        using var response = await client.SendAsync(request);
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"Upload answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return ((await response.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("id").GetInt64(), elapsed);
    }

    private static async Task<TimeSpan> DownloadAsync(HttpClient client, string token, string caseNumber, long id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/petitions/{caseNumber}/materials/{id}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var started = Stopwatch.GetTimestamp();
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await (await response.Content.ReadAsStreamAsync()).CopyToAsync(Stream.Null);
        return Stopwatch.GetElapsedTime(started);
    }

    private static double MBps(long bytes, TimeSpan elapsed) => bytes / 1e6 / elapsed.TotalSeconds;

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
