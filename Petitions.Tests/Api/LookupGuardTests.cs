using System.Net;
using System.Net.Http.Json;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Api;

/// <summary>
/// The failed-lookup guard (<c>RateLimits:FailedLookups</c>, 5) before every door that checks a query code: the API's
/// lookup and evaluation and the progress page's, which share one count. Simultaneous wrong codes get exactly five
/// answers; a blocked address cannot evaluate even with the right code, and nothing is recorded.
/// </summary>
public abstract class LookupGuardTests(StorageProvider provider, DatabaseServers servers) : ApiTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : LookupGuardTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : LookupGuardTests(StorageProvider.Postgres, servers);

    /// <summary>The per-minute limit of every address would answer 429 first.</summary>
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["RateLimits:LookupsPerMinute"] = "1000000" };

    private const int Simultaneous = 40;

    private async Task<(string CaseNumber, string QueryCode)> RegisterAsync()
    {
        var registered = await JsonAsync(await RegisterAsync(await TokenAsync("reception"), PetitionBody()));
        return (registered.GetProperty("caseNumber").GetString()!, registered.GetProperty("queryCode").GetString()!);
    }

    private Task<HttpResponseMessage> LookUpAsync(string caseNumber, string queryCode) =>
        Client.GetAsync($"/api/public/petitions/{caseNumber}?queryCode={queryCode}", Ct);

    private Task<HttpResponseMessage> EvaluateAsync(string caseNumber, string queryCode) =>
        Client.PostAsJsonAsync($"/api/public/petitions/{caseNumber}/evaluation", new { queryCode, satisfaction = "satisfied" }, Ct);

    private async Task<HttpResponseMessage> ProgressPageAsync(string token, string caseNumber, string queryCode, bool evaluate = false) =>
        await PostFormAsync(evaluate ? "/progress?handler=Evaluate" : "/progress", new()
        {
            ["__RequestVerificationToken"] = token, ["CaseNumber"] = caseNumber, ["QueryCode"] = queryCode, ["Satisfaction"] = "satisfied",
        });

    [Fact]
    public async Task Simultaneous_wrong_lookups_get_exactly_five_answers_over_HTTP_and_on_the_page()
    {
        var (caseNumber, _) = await RegisterAsync();

        var api = await Task.WhenAll(Enumerable.Range(0, Simultaneous).Select(i => LookUpAsync(caseNumber, $"WRONG{i:D3}")));

        Assert.Equal(5, api.Count(a => a.StatusCode == HttpStatusCode.NotFound));
        Assert.Equal(Simultaneous - 5, api.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests));

        Api.Clock.Advance(TimeSpan.FromMinutes(16)); // the window ends
        var token = await FormTokenAsync("/progress");
        var page = await Task.WhenAll(Enumerable.Range(0, Simultaneous).Select(i => ProgressPageAsync(token, caseNumber, $"WRONG{i:D3}")));
        var texts = await Task.WhenAll(page.Select(p => p.Content.ReadAsStringAsync(Ct)));

        Assert.Equal(5, page.Zip(texts).Count(p => p.First.StatusCode == HttpStatusCode.OK && p.Second.Contains("信访编号与查询码不匹配", StringComparison.Ordinal)));
        Assert.Equal(Simultaneous - 5, page.Count(p => p.StatusCode == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task Simultaneous_right_lookups_wait_for_each_other_and_are_never_refused()
    {
        var (caseNumber, queryCode) = await RegisterAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, Simultaneous).Select(_ => LookUpAsync(caseNumber, queryCode)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
    }

    [Fact]
    public async Task A_blocked_address_cannot_evaluate_even_with_the_right_code_and_nothing_is_recorded()
    {
        var (caseNumber, queryCode) = await RegisterAsync();
        await using (var harness = await WorkflowHarness.StartAsync(Database, keys: Api.Keys))
        {
            var journey = new Journey(harness);
            foreach (var action in Journey.MainRoute[..4]) await journey.DoAsync(caseNumber, action); // up to the reply served
        }
        var token = await FormTokenAsync("/progress");
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.NotFound, (await LookUpAsync(caseNumber, $"WRONG{i:D3}")).StatusCode);

        var byApi = await EvaluateAsync(caseNumber, queryCode);
        var byPage = await ProgressPageAsync(token, caseNumber, queryCode, evaluate: true);

        Assert.Equal(HttpStatusCode.TooManyRequests, byApi.StatusCode);
        Assert.Equal("application/problem+json", byApi.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.TooManyRequests, byPage.StatusCode);
        Assert.DoesNotContain("感谢您的评价", await byPage.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(0, await Database.CountAsync("petitions", "satisfaction IS NOT NULL"));
        Assert.Equal(0, await Database.CountAsync("petition_events", "action = 'evaluate'"));

        Api.Clock.Advance(TimeSpan.FromMinutes(16)); // the window ends: the same code was right all along
        Assert.Contains("感谢您的评价", await (await ProgressPageAsync(token, caseNumber, queryCode, evaluate: true)).Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(1, await Database.CountAsync("petition_events", "action = 'evaluate'"));
    }

    [Fact]
    public async Task Wrong_codes_on_the_page_and_the_API_count_together_whatever_the_case_numbers_spelling()
    {
        var (caseNumber, queryCode) = await RegisterAsync();
        var token = await FormTokenAsync("/progress");

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.NotFound, (await LookUpAsync(caseNumber, $"WRONG{i:D3}")).StatusCode);
        for (var i = 3; i < 5; i++) Assert.Equal(HttpStatusCode.OK, (await ProgressPageAsync(token, $" {caseNumber.ToLowerInvariant()} ", $"WRONG{i:D3}")).StatusCode);

        Assert.Equal(HttpStatusCode.TooManyRequests, (await LookUpAsync(caseNumber, queryCode)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ProgressPageAsync(token, caseNumber, queryCode)).StatusCode);
    }
}
