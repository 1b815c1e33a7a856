using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Resilience;

/// <summary>
/// Three service processes on one PostgreSQL, each sweeping deadlines, with clients spreading conflicting actions on
/// the same petitions across them. Tokens come from one instance and are used on all three. Of actions that exclude
/// each other exactly one wins, every loser gets a 409 problem, no success is lost (the history holds one entry per
/// version, each the action that was answered with that version), and each due clock is escalated exactly once,
/// also while a leader acts on its petition at the same moment.
/// </summary>
public sealed class MultiNodeTests(DatabaseServers servers) : IAsyncLifetime
{
    private const int Nodes = 3;
    private const int Petitions = 30;

    /// <summary>Generous, only so that a broken service fails the test instead of hanging it.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private TestDatabase _database = null!;
    private ServiceCluster _cluster = null!;
    private readonly HttpClient _http = new() { Timeout = Patience };
    private readonly ConcurrentQueue<Answer> _answers = new();
    private readonly Dictionary<string, string> _tokens = [];

    public async ValueTask InitializeAsync() => _database = await servers.CreateAsync(StorageProvider.Postgres);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (_cluster is not null) await _cluster.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>One answer of a node to an action, kept for the checks at the end.</summary>
    private sealed record Answer(string CaseNumber, string Action, int Node, HttpStatusCode Status, string? MediaType, JsonElement Body)
    {
        public bool Won => Status == HttpStatusCode.OK;

        /// <summary>A rule refused it (wrong stage, already in charge): final, as opposed to a lost race that a client retries.</summary>
        public string? Rule => Status == HttpStatusCode.Conflict && Body.TryGetProperty("rule", out var rule) ? rule.GetString() : null;

        public override string ToString() => $"{Action} on node {Node} for {CaseNumber}: {(int)Status} {Body}";
    }

    [Fact]
    public async Task Conflicting_actions_across_three_nodes_have_one_winner_each_and_every_due_clock_is_escalated_once()
    {
        _cluster = await ServiceCluster.SeedAsync(_database, Workflows.Deadlines.MultiInstanceSweepTests.SweepEverySecond);
        await _cluster.StartAsync(Nodes);
        // Started together on an empty key folder, they agree on one token key (else tokens cross nodes only at first).
        Assert.Single(Directory.GetFiles(_cluster.KeysDirectory, "key-*.xml"));
        foreach (var user in new[] { "reception", "office", "handler", "leader" }) _tokens[user] = await _cluster.TokenAsync(_http, user, instance: 0);

        // Received a month ago: each intake clock is past due the moment it is written, and the three sweeps race
        // for it while two of the leader's sessions, on the other nodes, take charge of the petition at once.
        var caseNumbers = new string[Petitions];
        await Parallel.ForEachAsync(Enumerable.Range(0, Petitions), new ParallelOptions { MaxDegreeOfParallelism = 6, CancellationToken = Ct }, async (i, _) =>
        {
            caseNumbers[i] = await RegisterAsync(node: i % Nodes);
            var racing = await Task.WhenAll(
                ActUntilDecidedAsync(caseNumbers[i], "take-charge", "leader", (i + 1) % Nodes),
                ActUntilDecidedAsync(caseNumbers[i], "take-charge", "leader", (i + 2) % Nodes));
            Assert.Single(racing, a => a.Won);
            Assert.Single(racing, a => a.Rule == "already-in-charge");
        });
        await WaitUntilAsync(async () => await _database.CountAsync("clock_warnings") >= Petitions, "every intake clock is escalated");

        // Triage on the first half: accept, decline and divert at once, each on another node.
        var triaged = caseNumbers[..(Petitions / 2)];
        // Handling on the other half: two draft opinions and two progress notes at once.
        var handled = caseNumbers[(Petitions / 2)..];
        foreach (var caseNumber in handled) Assert.True((await ActUntilDecidedAsync(caseNumber, "accept", "office", node: 0)).Won);
        var triage = triaged.Select((caseNumber, i) => RaceAsync(caseNumber,
            [("accept", "office", Journey.Payload("accept")), ("decline", "office", Journey.Payload("decline")), ("divert", "office", Journey.Payload("divert"))], i));
        var handling = handled.Select((caseNumber, i) => RaceAsync(caseNumber,
            [
                ("submit-opinion", "handler", new { outcome = "support", text = $"意见甲 {caseNumber}" }),
                ("submit-opinion", "handler", new { outcome = "explain", text = $"意见乙 {caseNumber}" }),
                ("record-progress", "handler", new { note = "已走访调查" }),
                ("record-progress", "office", new { note = "已督促承办单位" }),
            ], i));
        var raced = await Task.WhenAll(triage.Concat(handling));
        await Task.Delay(1000, Ct); // a few more passes of every sweep: nothing may be escalated again

        Assert.True(_cluster.Instances.All(i => !i.HasExited), "every node kept running");
        AssertEveryRefusalIsA409Problem();
        foreach (var answers in raced)
        {
            var caseNumber = answers[0].CaseNumber;
            Assert.All(answers.Where(a => !a.Won), a => Assert.Equal("wrong-stage", a.Rule));
            if (answers[0].Action == "accept")
            {
                var winner = Assert.Single(answers, a => a.Won);
                Assert.Equal(winner.Action == "accept" ? "in-handling" : "closed", await StageAsync(caseNumber));
            }
            else
            {
                var opinion = Assert.Single(answers[..2], a => a.Won); // the progress notes win only if sent before it
                Assert.Equal("opinion-review", await StageAsync(caseNumber));
                Assert.Equal(
                    opinion == answers[0] ? $"意见甲 {caseNumber}" : $"意见乙 {caseNumber}",
                    Assert.Single(await _database.QueryAsync<string>("SELECT opinion_text FROM petitions WHERE case_number = @caseNumber", new { caseNumber })));
            }
        }
        await AssertNoUpdateIsLostAsync(caseNumbers);
        await AssertEachClockEscalatedOnceAsync();
        await AssertEveryNodeReadsTheSameStateAsync(caseNumbers);
    }

    private async Task<string> RegisterAsync(int node)
    {
        var body = new Dictionary<string, object?>
        {
            ["channel"] = "letter",
            ["category"] = "complaint",
            // A person each: the same person's same matter would be refused as a repeat.
            ["petitioner"] = new { name = TestData.PetitionerName, phone = TestData.AnotherPerson().Phone },
            ["subject"] = "噪音扰民",
            ["content"] = "邻居夜间施工，噪音扰民。",
            ["receivedAt"] = DateTimeOffset.UtcNow.AddDays(-30),
        };
        using var response = await SendAsync(node, HttpMethod.Post, "/api/petitions", "reception", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("caseNumber").GetString()!;
    }

    /// <summary>Sends the actions at once, each on the next node; returns each one's final answer.</summary>
    private async Task<Answer[]> RaceAsync(string caseNumber, IReadOnlyList<(string Action, string User, object Payload)> actions, int offset) =>
        await Task.WhenAll(actions.Select((a, i) => ActUntilDecidedAsync(caseNumber, a.Action, a.User, (offset + i) % Nodes, a.Payload)));

    /// <summary>
    /// Acts as a client does: a 409 without a rule means another request changed the petition first, so the client
    /// sends its action again; a success or a rule's refusal is final.
    /// </summary>
    private async Task<Answer> ActUntilDecidedAsync(string caseNumber, string action, string user, int node, object? payload = null)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            using var response = await SendAsync(node, HttpMethod.Post, $"/api/petitions/{caseNumber}/actions/{action}", user, payload ?? Journey.Payload(action));
            var answer = new Answer(caseNumber, action, node, response.StatusCode, response.Content.Headers.ContentType?.MediaType,
                await response.Content.ReadFromJsonAsync<JsonElement>(Ct));
            _answers.Enqueue(answer);
            if (answer.Won || answer.Rule is not null || answer.Status != HttpStatusCode.Conflict) return answer;
            Assert.True(waited.Elapsed < Patience, $"Still losing races: {answer}");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(int node, HttpMethod method, string path, string user, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(_cluster[node].BaseAddress, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokens[user]); // issued by node 0
        if (body is not null) request.Content = JsonContent.Create(body);
        return await _http.SendAsync(request, Ct);
    }

    private void AssertEveryRefusalIsA409Problem()
    {
        var answers = _answers.ToList();
        var failed = answers.Count(a => (int)a.Status >= 500);
        Assert.True(failed == 0, $"{failed} answers were 5xx; the services logged:\n" + string.Join('\n',
            _cluster.Instances.SelectMany(i => i.Output.Split('\n')).Where(l => l.Contains("Exception", StringComparison.Ordinal)).Distinct().Take(20)));
        Assert.All(answers.Where(a => !a.Won), a =>
        {
            Assert.True(a.Status == HttpStatusCode.Conflict, a.ToString());
            Assert.Equal("application/problem+json", a.MediaType);
            Assert.Equal(409, a.Body.GetProperty("status").GetInt32());
            Assert.True(a.Rule is not null || a.Body.GetProperty("title").GetString() == "Conflict", a.ToString());
        });
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{answers.Count} action answers: {answers.Count(a => a.Won)} won, {answers.Count(a => a.Rule is not null)} refused by a rule, "
            + $"{answers.Count(a => !a.Won && a.Rule is null)} lost a race and were sent again");
    }

    /// <summary>
    /// Every change of a petition adds one to its version and one entry to its history, so the entries ordered by id
    /// are the versions 1, 2, …: each success must find its own action at the version it was answered with.
    /// </summary>
    private async Task AssertNoUpdateIsLostAsync(IReadOnlyList<string> caseNumbers)
    {
        var wins = _answers.Where(a => a.Won).ToLookup(a => a.CaseNumber);
        foreach (var caseNumber in caseNumbers)
        {
            var history = await _database.QueryAsync<string>(
                """
                SELECT e.action
                FROM petition_events e
                JOIN petitions p ON p.id = e.petition_id
                WHERE p.case_number = @caseNumber
                ORDER BY e.id
                """,
                new { caseNumber });
            var version = Assert.Single(await _database.QueryAsync<int>("SELECT version FROM petitions WHERE case_number = @caseNumber", new { caseNumber }));

            Assert.Equal(version, history.Count);
            Assert.Equal("register", history[0]);
            Assert.Equal(1, history.Count(a => a == "overdue"));
            foreach (var win in wins[caseNumber])
                Assert.Equal(win.Action, history[win.Body.GetProperty("version").GetInt32() - 1]);
            Assert.Equal(history.Count - 2, wins[caseNumber].Count()); // nothing else changed it
        }
    }

    private async Task AssertEachClockEscalatedOnceAsync()
    {
        Assert.Equal(Petitions, await _database.CountAsync("clock_warnings"));
        Assert.Equal(Petitions, await _database.CountAsync(
            "clock_warnings w JOIN clocks c ON c.id = w.clock_id", "w.level = 'overdue' AND c.kind = 'intake'"));
        Assert.Equal(Petitions, await _database.CountAsync("(SELECT DISTINCT clock_id FROM clock_warnings) warned"));
        Assert.Equal(Petitions, await _database.CountAsync("supervision_items"));
        Assert.Equal(Petitions, await _database.CountAsync("outbox"));
        Assert.Equal(Petitions, await _database.CountAsync("petition_events", "action = 'overdue'"));
    }

    /// <summary>Whatever node answers, a petition reads the same: stage and version as stored.</summary>
    private async Task AssertEveryNodeReadsTheSameStateAsync(IReadOnlyList<string> caseNumbers)
    {
        foreach (var caseNumber in caseNumbers)
        {
            var stored = Assert.Single(await _database.QueryAsync<(string, int)>(
                "SELECT stage, version FROM petitions WHERE case_number = @caseNumber", new { caseNumber }));
            for (var node = 0; node < Nodes; node++)
            {
                using var response = await SendAsync(node, HttpMethod.Get, $"/api/petitions/{caseNumber}", "office");
                var petition = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
                Assert.Equal(stored, (petition.GetProperty("stage").GetString()!, petition.GetProperty("version").GetInt32()));
            }
        }
    }

    private async Task<string> StageAsync(string caseNumber) =>
        Assert.Single(await _database.QueryAsync<string>("SELECT stage FROM petitions WHERE case_number = @caseNumber", new { caseNumber }));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < Patience, $"Timed out waiting until {what}.");
            await Task.Delay(100, Ct);
        }
    }
}
