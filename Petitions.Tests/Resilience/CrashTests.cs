using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Resilience;

/// <summary>
/// The real service is killed with SIGKILL five times while clients register petitions, each with an
/// <c>Idempotency-Key</c> of its own, and started again on the same database. A request that got no answer is sent
/// again with the same key and body until the restarted service answers, as a careful client does. Nothing answered
/// 201 may be lost, nothing may be registered twice, and case numbers keep having no gaps: the counter row is
/// updated inside the registering transaction, so a transaction the kill cut short leaves no number behind.
/// On SQLite this is the claim of docs/decisions/0003: WAL with synchronous=NORMAL keeps every commit through kill -9.
/// </summary>
public abstract class CrashTests(StorageProvider provider, DatabaseServers servers) : IAsyncLifetime
{
    public sealed class OnSqlite(DatabaseServers servers) : CrashTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : CrashTests(StorageProvider.Postgres, servers);

    private const int Kills = 5;
    private const int Clients = 8;

    /// <summary>Registrations answered between kills, so each kill lands in a running load.</summary>
    private const int LoadBetweenKills = 25;


    private TestDatabase _database = null!;

    public async ValueTask InitializeAsync() => _database = await servers.CreateAsync(provider);

    public ValueTask DisposeAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class Registration(string key, string subject, string body)
    {
        public string Key { get; } = key;
        public string Subject { get; } = subject;
        public string Body { get; } = body;
        public JsonElement Answer { get; set; }

        /// <summary>A send of it ended without an answer (the service died under it, or was not up yet).</summary>
        public bool Interrupted { get; set; }

        public string CaseNumber => Answer.GetProperty("caseNumber").GetString()!;
    }

    private sealed record StoredPetition
    {
        public string CaseNumber { get; init; } = "";
        public string Subject { get; init; } = "";
        public string Stage { get; init; } = "";
        public int Version { get; init; }
        public long Events { get; init; }
        public long RegisterEvents { get; init; }
        public long Clocks { get; init; }
        public DateOnly? RunningIntakeDueOn { get; init; }
        public long People { get; init; }
    }

    [Fact]
    public async Task Five_kills_during_registrations_lose_nothing_acknowledged_and_retries_duplicate_nothing()
    {
        await using var cluster = await ServiceCluster.SeedAsync(_database, new Dictionary<string, string>());
        await cluster.StartAsync(1);
        using var http = new HttpClient { Timeout = Progress.Stall }; // one request without an answer for that long is stuck
        var token = await cluster.TokenAsync(http, "reception");

        var registrations = new ConcurrentQueue<Registration>();
        var answered = 0;
        var lastAnswer = Stopwatch.GetTimestamp(); // when any client last got an answer: the load's progress
        using var stop = new CancellationTokenSource();

        async Task<JsonElement> SendUntilAnsweredAsync(Registration registration)
        {
            while (true)
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(cluster[0].BaseAddress, "/api/petitions"))
                    {
                        Content = new StringContent(registration.Body, Encoding.UTF8, "application/json"),
                    };
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    request.Headers.Add("Idempotency-Key", registration.Key);
                    using var response = await http.SendAsync(request, Ct);
                    if (response.StatusCode == HttpStatusCode.Created) return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
                    // 409: the same key is still in flight (README); a client sends it again.
                    Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
                }
                catch (Exception e) when (e is HttpRequestException or IOException && Stopwatch.GetElapsedTime(Volatile.Read(ref lastAnswer)) < Progress.Stall)
                {
                    registration.Interrupted = true; // killed under the request, or restarting: same key, same body
                }
                await Task.Delay(50, Ct);
            }
        }

        async Task ClientAsync(int client)
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var registration = NewRegistration(client, n);
                registrations.Enqueue(registration);
                registration.Answer = await SendUntilAnsweredAsync(registration);
                Interlocked.Increment(ref answered);
                Volatile.Write(ref lastAnswer, Stopwatch.GetTimestamp());
            }
        }

        Task LoadRunsAsync() =>
            Progress.UntilAsync(() => Task.FromResult((long)Volatile.Read(ref answered)), Volatile.Read(ref answered) + LoadBetweenKills,
                "the load runs between kills", () => cluster[0].Output);

        var load = Enumerable.Range(0, Clients).Select(c => Task.Run(() => ClientAsync(c), Ct)).ToArray();
        for (var kill = 0; kill < Kills; kill++)
        {
            await LoadRunsAsync();
            await Task.Delay(Random.Shared.Next(0, 300), Ct); // a random moment, with requests in flight
            cluster[0].Kill();
            await cluster.RestartAsync(0);
        }
        await LoadRunsAsync();
        await stop.CancelAsync();
        await Task.WhenAll(load); // every client finishes the registration it started, retrying until answered

        var sent = registrations.ToList();
        Assert.Equal(sent.Count, sent.Select(r => r.CaseNumber).Distinct().Count()); // no two keys share a case
        Assert.True(sent.Any(r => r.Interrupted), "the kills cut requests in flight, which clients sent again");
        // A registration audited twice was committed, its answer lost to the kill, and the retry got the stored answer.
        var answeredFromStore = Assert.Single(await _database.QueryAsync<long>(
            """
            SELECT COUNT(*)
            FROM (SELECT case_number FROM audit_log WHERE outcome = 'ok' AND case_number IS NOT NULL GROUP BY case_number HAVING COUNT(*) > 1) replayed
            """));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{sent.Count} registrations; {sent.Count(r => r.Interrupted)} cut by a kill and sent again, {answeredFromStore} of them committed before the kill");

        await AssertStoredExactlyOnceAsync(sent);
        await AssertRetriesGetTheFirstAnswerAsync(http, cluster[0].BaseAddress, token, sent);
        if (provider == StorageProvider.Sqlite)
            Assert.Equal("ok", Assert.Single(await _database.QueryAsync<string>("PRAGMA integrity_check")));
    }

    /// <summary>Each petitioner is another person, as at a real desk; the subject names the registration.</summary>
    private static Registration NewRegistration(int client, int n)
    {
        var subject = $"夜间施工噪音扰民 {client}-{n}";
        var body = JsonSerializer.Serialize(new
        {
            channel = "visit",
            category = "complaint",
            petitioner = new
            {
                name = "李四",
                idNumber = TestData.IdNumberFor(new DateOnly(1960, 1, 1).AddDays(client * 1000 + n), n),
                phone = $"139{client:D2}{n:D6}",
                address = "示范县城关镇解放路88号",
            },
            subject,
            content = "邻居夜间施工，噪音扰民，多次反映未果。",
        });
        return new Registration(Guid.NewGuid().ToString(), subject, body);
    }

    /// <summary>Straight from the database: one petition per key, each with the state a registration leaves.</summary>
    private async Task AssertStoredExactlyOnceAsync(IReadOnlyList<Registration> sent)
    {
        var stored = await _database.QueryAsync<StoredPetition>(
            """
            SELECT p.case_number AS CaseNumber,
                   p.subject     AS Subject,
                   p.stage       AS Stage,
                   p.version     AS Version,
                   (SELECT COUNT(*) FROM petition_events e WHERE e.petition_id = p.id)                         AS Events,
                   (SELECT COUNT(*) FROM petition_events e WHERE e.petition_id = p.id AND e.action = 'register') AS RegisterEvents,
                   (SELECT COUNT(*) FROM clocks c WHERE c.petition_id = p.id)                                  AS Clocks,
                   (SELECT MIN(c.due_on) FROM clocks c WHERE c.petition_id = p.id AND c.kind = 'intake' AND c.state = 'running') AS RunningIntakeDueOn,
                   (SELECT COUNT(*) FROM petition_people pp WHERE pp.petition_id = p.id)                       AS People
            FROM petitions p
            """);
        var byCase = sent.ToDictionary(r => r.CaseNumber);

        Assert.Equal(sent.Count, stored.Count); // nothing lost, nothing registered twice
        var wrong = stored
            .Where(s => !byCase.TryGetValue(s.CaseNumber, out var r)
                || s.Subject != r.Subject || s.Stage != "registered" || s.Version != 1 || s.Events != 1 || s.RegisterEvents != 1 || s.Clocks != 1
                || s.People != 1 || s.RunningIntakeDueOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) != r.Answer.GetProperty("intakeDueOn").GetString())
            .ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} petitions are not as registered, e.g. {wrong.FirstOrDefault()}");

        // No gaps: the numbers are 1..n, and the counter stands at n.
        var sequences = stored.Select(s => int.Parse(s.CaseNumber[^6..], CultureInfo.InvariantCulture)).Order().ToList();
        Assert.Equal(Enumerable.Range(1, sent.Count), sequences);
        Assert.Equal(sent.Count, Assert.Single(await _database.QueryAsync<long>("SELECT last_value FROM case_number_counters")));
        Assert.Equal(sent.Count, await _database.CountAsync("idempotency_keys"));
    }

    /// <summary>
    /// Through the API of the last service started: every key sent again gets its first answer (the same case number
    /// and query code) and creates nothing; the petitions whose requests a kill cut are read back whole, and their
    /// query codes open their receipts.
    /// </summary>
    private async Task AssertRetriesGetTheFirstAnswerAsync(HttpClient http, Uri service, string token, IReadOnlyList<Registration> sent)
    {
        async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Registration? again = null)
        {
            using var request = new HttpRequestMessage(method, new Uri(service, path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (again is not null)
            {
                request.Content = new StringContent(again.Body, Encoding.UTF8, "application/json");
                request.Headers.Add("Idempotency-Key", again.Key);
            }
            return await http.SendAsync(request, Ct);
        }

        await Parallel.ForEachAsync(sent, new ParallelOptions { MaxDegreeOfParallelism = Clients, CancellationToken = Ct }, async (registration, _) =>
        {
            using var retry = await SendAsync(HttpMethod.Post, "/api/petitions", registration);
            Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
            var answer = await retry.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(registration.CaseNumber, answer.GetProperty("caseNumber").GetString());
            Assert.Equal(registration.Answer.GetProperty("queryCode").GetString(), answer.GetProperty("queryCode").GetString());
        });
        Assert.Equal(sent.Count, await _database.CountAsync("petitions"));

        foreach (var registration in sent.Where(r => r.Interrupted))
        {
            using var read = await SendAsync(HttpMethod.Get, $"/api/petitions/{registration.CaseNumber}");
            var petition = await read.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal((registration.Subject, "registered", 1), (petition.GetProperty("subject").GetString(), petition.GetProperty("stage").GetString(), petition.GetProperty("version").GetInt32()));
            Assert.Equal("register", Assert.Single(petition.GetProperty("timeline").EnumerateArray()).GetProperty("action").GetString());
            var clock = Assert.Single(petition.GetProperty("clocks").EnumerateArray());
            Assert.Equal(("intake", "running"), (clock.GetProperty("kind").GetString(), clock.GetProperty("state").GetString()));
            Assert.Equal(registration.Answer.GetProperty("intakeDueOn").GetString(), clock.GetProperty("dueOn").GetString());

            using var receipt = await SendAsync(HttpMethod.Get, $"/api/petitions/{registration.CaseNumber}/receipt?queryCode={registration.Answer.GetProperty("queryCode").GetString()}");
            Assert.Equal(HttpStatusCode.OK, receipt.StatusCode);
        }
    }
}
