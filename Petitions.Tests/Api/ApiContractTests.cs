using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Petitions.Domain;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Tests.Api;

/// <summary>
/// The API contract, read as a client generator reads it: every workflow action in <c>/openapi/v1.json</c> has a
/// request schema of its own payload, and a body built from that schema alone (its required properties, their
/// enums, formats, ranges and lengths) is accepted by the service. On SQLite only: the document is made from the
/// endpoints and validators, the same on every database, and the actions' storage is walked on both databases by the
/// workflow matrix.
/// </summary>
public sealed class ApiContractTests(DatabaseServers servers) : ApiTest(StorageProvider.Sqlite, servers)
{
    private const string ActionsPath = "/api/petitions/{caseNumber}/actions/";

    /// <summary>What no document can know: rows of this deployment that a body names (the test data's).</summary>
    private static readonly Dictionary<string, string> References = new()
    {
        ["unit"] = "330799-02", // a unit of the county; the journey assigns 330799-01, so a reassignment moves it
        ["bureau"] = "330799", // the county, below the city that registers the petitions it refers
        ["officer"] = "handler", // the demo handler, of the unit the journey assigns
    };

    /// <summary>The actions a client sends: the latest version's, less the follow-ups the workflow applies itself.</summary>
    private static readonly IReadOnlyList<ActionDefinition> Sent = PetitionWorkflowV2.Definition.Actions.Where(a => !a.IsFollowUp).ToList();

    [Fact]
    public async Task Every_action_has_a_request_schema_of_its_own_payload()
    {
        var document = await DocumentAsync();
        var actions = Sent;

        var schemas = actions.ToDictionary(a => a.Code, a => SchemaName(document, a.Code));

        Assert.Equal(actions.Select(a => a.Code).Order(), ActionOperations(document).Order());
        foreach (var action in actions)
        {
            var properties = document.GetProperty("components").GetProperty("schemas").GetProperty(schemas[action.Code]).GetProperty("properties");
            Assert.True(
                JsonSerializerOptions.Web.GetTypeInfo(action.Payload).Properties.Select(p => p.Name).Order().SequenceEqual(properties.EnumerateObject().Select(p => p.Name).Order()),
                $"'{action.Code}' is documented with the schema {schemas[action.Code]} ({string.Join(", ", properties.EnumerateObject().Select(p => p.Name))}), not its payload {action.Payload.FullName}");
        }
        // Actions may share a schema only where they share the payload type itself (those that take a comment).
        foreach (var shared in actions.GroupBy(a => schemas[a.Code]).Where(g => g.Select(a => a.Payload).Distinct().Count() > 1))
            Assert.Fail($"Actions {string.Join(", ", shared.Select(a => a.Code))} have different payloads but share the schema {shared.Key}.");
    }

    [Fact]
    public async Task A_body_built_from_each_actions_schema_is_accepted()
    {
        var document = await DocumentAsync();
        var outcomes = new List<string>();
        await using var harness = await WorkflowHarness.StartAsync(Database, keys: Api.Keys);
        var journey = new Journey(harness);

        foreach (var code in ActionOperations(document))
        {
            var action = PetitionWorkflowV2.Definition.Find(code)!;
            var (caseNumber, earlier) = await journey.ReachAsync(action, action.From[0]);
            Api.Clock.Set(harness.Clock.GetUtcNow()); // the journey may let time pass (finalize)
            var references = new Dictionary<string, string>(References) { ["earlierCaseNumber"] = earlier };
            var body = BodyFrom(document, Schema(document, SchemaName(document, code)), references, Api.Clock.GetUtcNow());
            var user = await journey.PerformerAsync(action, await journey.StateAsync(caseNumber));

            var response = await SendAsync(HttpMethod.Post, $"/api/petitions/{caseNumber}/actions/{code}", await TokenAsync(user), JsonContent.Create(body));

            var answer = await response.Content.ReadAsStringAsync(Ct);
            outcomes.Add($"{code} {body.ToJsonString()} → {(int)response.StatusCode} {answer}");
            TestContext.Current.TestOutputHelper?.WriteLine(outcomes[^1]);
            // A rule of the petition's state may refuse (409, naming the rule), never the body, nor the stage the journey reached.
            var refusedByRule = response.StatusCode == HttpStatusCode.Conflict
                && JsonNode.Parse(answer)?["rule"]?.GetValue<string>() is { } rule && rule != "wrong-stage";
            Assert.True(response.StatusCode == HttpStatusCode.OK || refusedByRule, string.Join("\n", outcomes));
        }
        Assert.Equal(Sent.Count, outcomes.Count);
    }

    private async Task<JsonElement> DocumentAsync() =>
        JsonDocument.Parse(await Client.GetStringAsync("/openapi/v1.json", Ct)).RootElement;

    /// <summary>The action codes of the document's action operations.</summary>
    private static IEnumerable<string> ActionOperations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith(ActionsPath, StringComparison.Ordinal) && p.Value.TryGetProperty("post", out _))
            .Select(p => p.Name[ActionsPath.Length..]);

    /// <summary>The component named by the action's request body (a body defined inline has no name and fails here).</summary>
    private static string SchemaName(JsonElement document, string code)
    {
        var schema = document.GetProperty("paths").GetProperty(ActionsPath + code).GetProperty("post")
            .GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        return schema.GetProperty("$ref").GetString()!["#/components/schemas/".Length..];
    }

    private static JsonElement Schema(JsonElement document, string name) =>
        document.GetProperty("components").GetProperty("schemas").GetProperty(name);

    /// <summary>A body with the schema's required properties, each from its own schema; nothing of the payload types.</summary>
    private static JsonObject BodyFrom(JsonElement document, JsonElement schema, IReadOnlyDictionary<string, string> references, DateTimeOffset now)
    {
        var body = new JsonObject();
        if (!schema.TryGetProperty("required", out var required)) return body;
        foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
        {
            var property = schema.GetProperty("properties").GetProperty(name);
            if (property.TryGetProperty("$ref", out var reference)) property = Schema(document, reference.GetString()!["#/components/schemas/".Length..]);
            body[name] = ValueFor(name, property, references, now);
        }
        return body;
    }

    private static JsonNode ValueFor(string name, JsonElement schema, IReadOnlyDictionary<string, string> references, DateTimeOffset now)
    {
        if (schema.TryGetProperty("enum", out var codes)) return JsonValue.Create(codes[0].GetString())!;
        if (references.TryGetValue(name, out var row)) return JsonValue.Create(row)!;
        var types = schema.GetProperty("type") is { ValueKind: JsonValueKind.Array } several
            ? several.EnumerateArray().Select(t => t.GetString()).ToList()
            : [schema.GetProperty("type").GetString()];
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        if (types.Contains("integer")) return JsonValue.Create(schema.TryGetProperty("minimum", out var minimum) ? int.Parse(minimum.GetRawText()) : 1)!;
        if (types.Contains("boolean")) return JsonValue.Create(true)!;
        if (types.Contains("string") && format == "date") return JsonValue.Create(ShanghaiTime.DateOf(now).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))!;
        if (types.Contains("string") && format == "date-time") return JsonValue.Create(now)!;
        if (types.Contains("string") && format is null)
        {
            var maxLength = schema.TryGetProperty("maxLength", out var max) ? max.GetInt32() : 200;
            return JsonValue.Create("按接口文档生成的请求"[..Math.Min(10, maxLength)])!;
        }
        throw new InvalidOperationException($"The test cannot make a '{name}' of schema {schema.GetRawText()}: teach it, or name the row in References.");
    }
}
