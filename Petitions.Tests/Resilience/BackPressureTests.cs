using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Resilience;

/// <summary>
/// A burst bigger than the database can take: 500 registrations at once against the service as its own process on
/// PostgreSQL with a 20-connection pool and the limits a deployment derives from it (four sessions at once per core,
/// at least 8 and at most 18; ten times as many waiting, for 2 s). Every answer is a 201 or a 503 problem with
/// Retry-After, never a 500 (an empty pool used to be one); every 201 is in the database; and a client that sends its
/// refused requests again, with the same Idempotency-Key after the Retry-After, gets them all registered, numbered
/// without a gap.
/// </summary>
public sealed class BackPressureTests(DatabaseServers servers) : IAsyncLifetime
{
    private const int Burst = 500;
    private TestDatabase _database = null!;

    public async ValueTask InitializeAsync() => _database = await servers.CreateAsync(StorageProvider.Postgres);

    public ValueTask DisposeAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_burst_of_500_registrations_on_a_20_connection_pool_gets_201s_and_503s_with_retry_after_and_loses_no_201()
    {
        // The default limit for a pool of 20: four per core (at least 8), at most the pool less a tenth.
        var limit = Math.Min(18, Math.Max(8, 4 * Environment.ProcessorCount));
        await using var cluster = await ServiceCluster.SeedAsync(_database, new Dictionary<string, string>
        {
            ["ConnectionStrings:Petitions"] = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { MaxPoolSize = 20 }.ConnectionString,
            // The default queue, written out: the test suite otherwise lets work wait without limit.
            ["Storage:WorkQueueLimit"] = (10 * limit).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Storage:WorkQueueTimeout"] = "00:00:02",
        });
        await cluster.StartAsync(1);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Burst }) { BaseAddress = cluster[0].BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        var token = await cluster.TokenAsync(http, "reception");
        var health = await http.GetFromJsonAsync<JsonElement>("/health", Ct);
        Assert.Equal(limit, health.GetProperty("checks").GetProperty("database-work").GetProperty("data").GetProperty("limit").GetInt32());

        var requests = Enumerable.Range(0, Burst).Select(n => (Key: Guid.NewGuid().ToString(), Body: Body(n))).ToList();
        using var start = new SemaphoreSlim(0);
        var sends = requests.Select(async r =>
        {
            await start.WaitAsync(Ct);
            return await SendAsync(http, token, r.Key, r.Body);
        }).ToList();
        start.Release(Burst);
        var answers = await Task.WhenAll(sends);

        var unexpected = answers.Where(a => a.Status is not (HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable)).ToList();
        Assert.True(unexpected.Count == 0, $"answers other than 201 and 503: {string.Join("; ", unexpected.Select(a => $"{(int)a.Status} {a.Body}"))}");
        foreach (var refused in answers.Where(a => a.Status == HttpStatusCode.ServiceUnavailable))
        {
            Assert.True(refused.RetryAfter is { Delta.TotalSeconds: >= 1 }, "a 503 says when to come back");
            Assert.Equal("application/problem+json", refused.ContentType);
        }
        var created = answers.Where(a => a.Status == HttpStatusCode.Created).Select(a => a.CaseNumber!).ToList();
        Assert.NotEmpty(created);
        var stored = await _database.QueryAsync<string>("SELECT case_number FROM petitions");
        Assert.Equal(created.Order(), stored.Order()); // every 201 is there, and nothing else
        TestContext.Current.SendDiagnosticMessage($"burst of {Burst}: {created.Count} created, {Burst - created.Count} refused with 503");

        // The refused ones again, a few at a time after their Retry-After, with the same keys: all get in.
        var refusedRequests = requests.Zip(answers).Where(p => p.Second.Status != HttpStatusCode.Created).Select(p => p.First).ToList();
        var retried = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(refusedRequests, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (r, ct) =>
        {
            while (true)
            {
                var answer = await SendAsync(http, token, r.Key, r.Body);
                if (answer.Status == HttpStatusCode.Created)
                {
                    retried.Add(answer.CaseNumber!);
                    return;
                }
                Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
                await Task.Delay(answer.RetryAfter!.Delta!.Value, ct);
            }
        });
        var all = await _database.QueryAsync<string>("SELECT case_number FROM petitions ORDER BY case_number");
        Assert.Equal(Burst, all.Count);
        Assert.Equal(Enumerable.Range(1, Burst), all.Select(c => int.Parse(c[^6..], System.Globalization.CultureInfo.InvariantCulture)));
    }

    private sealed record Answer(HttpStatusCode Status, string? CaseNumber, RetryConditionHeaderValue? RetryAfter, string? ContentType, string Body);

    private static async Task<Answer> SendAsync(HttpClient http, string token, string key, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/petitions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Idempotency-Key", key);
        using var response = await http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var caseNumber = response.StatusCode == HttpStatusCode.Created ? JsonDocument.Parse(text).RootElement.GetProperty("caseNumber").GetString() : null;
        return new Answer(response.StatusCode, caseNumber, response.Headers.RetryAfter, response.Content.Headers.ContentType?.MediaType, text);
    }

    private static string Body(int n) => JsonSerializer.Serialize(new
    {
        channel = "visit",
        category = "complaint",
        petitioner = new { name = "张三", idNumber = TestData.IdNumberFor(new DateOnly(1960, 1, 1).AddDays(n), n), phone = $"1390000{n:D4}", address = TestData.PetitionerAddress },
        subject = $"噪音扰民 {n}",
        content = "邻居夜间施工，噪音扰民，多次反映未果。",
    });
}
