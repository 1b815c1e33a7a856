using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Api;

public abstract class RegisterPetitionApiTests(StorageProvider provider, DatabaseServers servers) : ApiTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : RegisterPetitionApiTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : RegisterPetitionApiTests(StorageProvider.Postgres, servers);

    [Fact]
    public async Task A_registration_answers_201_with_case_number_query_code_and_intake_deadline()
    {
        var response = await RegisterAsync(await TokenAsync("reception"), PetitionBody());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await JsonAsync(response);
        var caseNumber = body.GetProperty("caseNumber").GetString();
        Assert.Equal("XF-330799-2026-000001", caseNumber);
        Assert.Equal($"/api/petitions/{caseNumber}", response.Headers.Location?.OriginalString);
        Assert.Matches("^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$", body.GetProperty("queryCode").GetString());
        Assert.Equal("registered", body.GetProperty("stage").GetString());
        Assert.Equal("2026-12-07", body.GetProperty("intakeDueOn").GetString());
    }

    /// <summary>Each bad request of the issue, with the field (or status) the answer must name.</summary>
    public static TheoryData<string, string, int, string> BadRequests()
    {
        string With(Action<Dictionary<string, object?>> change)
        {
            var body = PetitionBody();
            change(body);
            return JsonSerializer.Serialize(body, Unescaped);
        }
        Dictionary<string, object?> Person(int i) => new() { ["name"] = $"代表{i}", ["idNumber"] = TestData.IdNumberFor(new DateOnly(1990, 1, 1), i) };

        return new()
        {
            { "malformed JSON", "{\"channel\": \"visit\", ", 400, "body" },
            { "wrong type", With(b => b["peopleCount"] = "many"), 400, "peopleCount" },
            { "nested wrong type", With(b => b["petitioner"] = "张三"), 400, "petitioner" },
            { "bad ID check digit", With(b => ((Dictionary<string, object?>)b["petitioner"]!)["idNumber"] = "110105194912310021"), 400, "petitioner.idNumber" },
            { "six representatives", With(b => { b["representatives"] = Enumerable.Range(0, 6).Select(Person).ToList(); b["peopleCount"] = 20; }), 400, "representatives" },
            { "unknown channel", With(b => b["channel"] = "pigeon"), 400, "channel" },
            { "empty subject", With(b => b["subject"] = ""), 400, "subject" },
            { "1 MB content", With(b => b["content"] = new string('访', 1_000_000 / 3)), 400, "content" },
            { "1 MB ASCII content", With(b => b["content"] = new string('x', 1_000_000)), 400, "content" },
            { "no body", "", 400, "" },
            { "a JSON array", "[]", 400, "body" },
            { "receipt in the future", With(b => b["receivedAt"] = "2027-01-01T00:00:00+08:00"), 400, "receivedAt" },
        };
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_gets_a_problem_naming_it_and_leaves_no_row(string what, string body, int status, string field)
    {
        var response = await SendAsync(HttpMethod.Post, "/api/petitions", await TokenAsync("reception"),
            new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.True(status == (int)response.StatusCode, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonAsync(response);
        if (field.Length > 0) Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{what}: {problem}");
        else Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        await AssertNothingStoredAsync();
    }

    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        var body = JsonSerializer.Serialize(PetitionBody().With("content", new string('x', 1_100_000)));

        // As a careful client sends a large body: the service refuses it on its Content-Length, before it is sent.
        // Without Expect: 100-continue the refusal races the upload and the client may only see a closed socket.
        var response = await SendAsync(HttpMethod.Post, "/api/petitions", await TokenAsync("reception"),
            new StringContent(body, Encoding.UTF8, "application/json"), expectContinue: true);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("1048576 bytes", (await JsonAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_415()
    {
        var response = await SendAsync(HttpMethod.Post, "/api/petitions", await TokenAsync("reception"), new StringContent("channel=visit", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_retry_with_the_same_idempotency_key_gets_the_first_answer()
    {
        var token = await TokenAsync("reception");

        var first = await RegisterAsync(token, PetitionBody(), idempotencyKey: "4f1c7e0a-retry");
        var retry = await RegisterAsync(token, PetitionBody(), idempotencyKey: "4f1c7e0a-retry");
        var changed = await RegisterAsync(token, PetitionBody().With("subject", "另一件事"), idempotencyKey: "4f1c7e0a-retry");
        var badKey = await RegisterAsync(token, PetitionBody(), idempotencyKey: new string('k', 101));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, retry.StatusCode));
        Assert.Equal(await first.Content.ReadAsStringAsync(Ct), await retry.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, changed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badKey.StatusCode);
        Assert.Equal(1, await Database.CountAsync("petitions"));
    }

    [Fact]
    public async Task Staff_read_the_full_record_and_the_public_read_only_progress()
    {
        var token = await TokenAsync("reception");
        var registered = await JsonAsync(await RegisterAsync(token, PetitionBody()));
        var caseNumber = registered.GetProperty("caseNumber").GetString();
        var queryCode = registered.GetProperty("queryCode").GetString();

        var staff = await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}", token);
        var open = await SendAsync(HttpMethod.Get, $"/api/public/petitions/{caseNumber}?queryCode={queryCode}", token: null);

        Assert.Equal(HttpStatusCode.OK, staff.StatusCode);
        Assert.Equal(TestData.IdNumber, (await JsonAsync(staff)).GetProperty("petitioner").GetProperty("idNumber").GetString());
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        var progress = await open.Content.ReadAsStringAsync(Ct);
        Assert.Contains("\"stage\":\"registered\"", progress, StringComparison.Ordinal);
        Assert.Contains("\"dueOn\":\"2026-12-07\"", progress, StringComparison.Ordinal);
        foreach (var personal in new[] { TestData.PetitionerName, TestData.IdNumber, TestData.PetitionerPhone, TestData.PetitionerAddress, "演示用户" })
            Assert.DoesNotContain(personal, progress, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_query_code_and_an_unknown_case_get_the_same_404_body()
    {
        var registered = await JsonAsync(await RegisterAsync(await TokenAsync("reception"), PetitionBody()));
        var caseNumber = registered.GetProperty("caseNumber").GetString();

        var wrongCode = await SendAsync(HttpMethod.Get, $"/api/public/petitions/{caseNumber}?queryCode=ABCDEFGH", token: null);
        var unknownCase = await SendAsync(HttpMethod.Get, $"/api/public/petitions/XF-330799-2026-999999?queryCode=ABCDEFGH", token: null);

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (wrongCode.StatusCode, unknownCase.StatusCode));
        Assert.Equal(WithoutTraceId(await JsonAsync(wrongCode)), WithoutTraceId(await JsonAsync(unknownCase)));
    }

    private static string WithoutTraceId(JsonElement problem) =>
        JsonSerializer.Serialize(problem.EnumerateObject().Where(p => p.Name != "traceId").ToDictionary(p => p.Name, p => p.Value.ToString()));

    private async Task AssertNothingStoredAsync()
    {
        foreach (var table in new[] { "petitions", "petition_people", "petition_events", "clocks", "case_number_counters", "idempotency_keys" })
            Assert.Equal(0, await Database.CountAsync(table));
    }
}

internal static class BodyExtensions
{
    public static Dictionary<string, object?> With(this Dictionary<string, object?> body, string key, object? value)
    {
        body[key] = value;
        return body;
    }
}
