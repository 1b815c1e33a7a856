using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Domain;
using Petitions.Workflows;
using Petitions.Workflows.Features.Actions;
using Petitions.Workflows.Privacy;
using Petitions.Workflows.Storage;

namespace Petitions.Bench;

/// <summary>
/// Whole petitions per second: register → accept → submit-opinion → approve-opinion → record-service →
/// record-return-visit, each petition by one client, each step by the user whose role it is, through the real service
/// over HTTP; against the same lifecycle sent straight to the workflows in this process (mediator, validation,
/// transaction, audit, rules; no HTTP, authentication or JSON), each on a fresh database, empty or holding
/// <paramref name="population"/> petitions.
/// </summary>
internal sealed class LifecycleBench(int workers, TimeSpan warmUp, TimeSpan duration, int population, Profiler? profiler)
{
    /// <summary>CPU per petition in ms: the in-process floor's (this process) and its database server's; the service's,
    /// its database server's and the clients' (this process) over HTTP. SQLite's server is inside the service or this
    /// process, so its own column is 0 there. The statements a petition cost the PostgreSQL server and the round trips
    /// they took (in-process and over HTTP) are counted, not timed, so they compare across runs on a busy machine; null
    /// on SQLite.</summary>
    public sealed record Figures(
        double FloorPerSecond, double FloorCpuMsPerPetition, double FloorDatabaseCpuMsPerPetition,
        double HttpPerSecond, double ServiceCpuMsPerPetition, double DatabaseCpuMsPerPetition, double ClientCpuMsPerPetition, long Failures,
        double? FloorStatementsPerPetition, double? StatementsPerPetition, double? FloorRoundTripsPerPetition, double? RoundTripsPerPetition)
    {
        /// <summary>The petitions a second the measured CPU would allow if every core of this machine did nothing else.</summary>
        public double CoresAllowPerSecond => Environment.ProcessorCount * 1000 / (ServiceCpuMsPerPetition + DatabaseCpuMsPerPetition + ClientCpuMsPerPetition);
    }

    private sealed record Step(string Action, string User, object Payload);

    /// <summary>The steps after registration on <paramref name="today"/>, by the demo users (the handler belongs to unit
    /// 330799-01).</summary>
    private static Step[] Steps(DateOnly today) =>
    [
        new("accept", "office", new { unit = "330799-01" }),
        new("submit-opinion", "handler", new { outcome = "support", text = "经调查，反映情况属实，责令施工方夜间停工。" }),
        new("approve-opinion", "leader", new { }),
        new("record-service", "office", new { servedOn = today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), method = "in-person" }),
        new("record-return-visit", "office", new { satisfaction = "satisfied" }),
    ];

    /// <summary>The steps' bodies for one Shanghai day: the service is recorded as served today, and a run may pass
    /// midnight (a reply issued after it cannot have been served the day before).</summary>
    private sealed record DaySteps(DateOnly Day, Step[] Steps, JsonElement[] Payloads, byte[][] Bodies)
    {
        public static DaySteps For(DateOnly day)
        {
            var steps = LifecycleBench.Steps(day);
            return new DaySteps(
                day, steps,
                steps.Select(s => JsonSerializer.SerializeToElement(s.Payload, JsonSerializerOptions.Web)).ToArray(),
                steps.Select(s => JsonSerializer.SerializeToUtf8Bytes(s.Payload)).ToArray());
        }
    }

    private DaySteps _today = DaySteps.For(ShanghaiTime.DateOf(DateTimeOffset.UtcNow));

    private DaySteps Today()
    {
        var day = ShanghaiTime.DateOf(DateTimeOffset.UtcNow);
        var today = _today;
        return today.Day == day ? today : _today = DaySteps.For(day);
    }

    private const int Petitioners = 4096;

    public async Task<Figures> RunAsync(StorageProvider provider, BenchDatabases databases)
    {
        var keys = PersonalDataKeys.Generate();
        var steps = _today.Steps;
        var users = steps.Select(s => s.User).Append("reception").Distinct().ToArray();

        // The floor: the workflows in this process, on a database of its own.
        await using var floorServices = BenchServices.Compose(provider, await PreparedDatabaseAsync(provider, databases, keys), keys);
        var actors = new Dictionary<string, Actor>();
        foreach (var user in users) actors[user] = await BenchServices.ActorAsync(floorServices, user);
        async Task InProcess(int n)
        {
            var registered = await BenchServices.SendAsync(
                floorServices, Registrations.Command(n % Petitioners, actors["reception"]) with { IdempotencyKey = Guid.NewGuid().ToString() });
            for (var i = 0; i < steps.Length; i++)
                await BenchServices.SendAsync(floorServices, new PerformAction.Command(registered.CaseNumber, steps[i].Action, Today().Payloads[i], actors[steps[i].User]));
        }
        await Load.WarmUpAsync(workers, warmUp, Environment.ProcessId, InProcess);
        var (ownCpuBefore, databaseCpuBefore, statementsBefore) = (Load.OwnCpu(), databases.ServerCpu(), await databases.ServerStatementsAsync());
        Load.Result floor;
        double? floorRoundTripsPerPetition;
        using (var floorTrips = RoundTrips.InProcess())
        {
            floor = await Load.RunAsync(workers, duration, InProcess);
            floorRoundTripsPerPetition = provider == StorageProvider.Postgres ? (double?)floorTrips.Count / floor.Completed : null;
        }
        var floorCpuPerPetition = (Load.OwnCpu() - ownCpuBefore).TotalMilliseconds / floor.Completed;
        var floorDatabaseCpuPerPetition = (databases.ServerCpu() - databaseCpuBefore).TotalMilliseconds / floor.Completed;
        var floorStatementsPerPetition = (double?)(await databases.ServerStatementsAsync() - statementsBefore) / floor.Completed;

        // The whole service, on another.
        var serviceDatabase = await PreparedDatabaseAsync(provider, databases, keys);
        await using var service = await ServiceProcess.StartAsync(provider, serviceDatabase, keys, profiler is null ? null : Profiler.ServiceSettings);
        using var client = service.Client(workers);
        var tokens = new Dictionary<string, string>();
        foreach (var user in users) tokens[user] = await ServiceProcess.TokenAsync(client, user);
        var bodies = Registrations.Bodies(Petitioners);
        long failures = 0;
        async Task OverHttp(int n)
        {
            using var registered = await ServiceProcess.PostAsync(client, "/api/petitions", tokens["reception"], bodies[n % Petitioners], idempotent: true);
            if (registered.StatusCode != HttpStatusCode.Created)
            {
                Interlocked.Increment(ref failures);
                return;
            }
            var caseNumber = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("caseNumber").GetString();
            for (var i = 0; i < steps.Length; i++)
            {
                using var done = await ServiceProcess.PostAsync(client, $"/api/petitions/{caseNumber}/actions/{steps[i].Action}", tokens[steps[i].User], Today().Bodies[i]);
                if (done.StatusCode == HttpStatusCode.OK) continue;
                Interlocked.Increment(ref failures);
                return;
            }
        }
        await Load.WarmUpAsync(workers, warmUp, service.ProcessId, OverHttp);
        failures = 0;
        var postgres = provider == StorageProvider.Postgres;
        var tripsBefore = postgres ? await RoundTrips.OfServiceAsync(client) : 0;
        (var cpuBefore, databaseCpuBefore, ownCpuBefore, statementsBefore) =
            (service.CpuTime(), databases.ServerCpu(), Load.OwnCpu(), await databases.ServerStatementsAsync());
        var http = await Load.RunAsync(workers, duration, OverHttp);
        var roundTripsPerPetition = postgres ? (double?)(await RoundTrips.OfServiceAsync(client) - tripsBefore) / http.Completed : null;
        var cpuPerPetition = (service.CpuTime() - cpuBefore).TotalMilliseconds / http.Completed;
        var databaseCpuPerPetition = (databases.ServerCpu() - databaseCpuBefore).TotalMilliseconds / http.Completed;
        var statementsPerPetition = (double?)(await databases.ServerStatementsAsync() - statementsBefore) / http.Completed;
        var clientCpuPerPetition = (Load.OwnCpu() - ownCpuBefore).TotalMilliseconds / http.Completed;
        if (profiler is not null) await profiler.TraceAsync(service, $"lifecycle-{Codes.Of(provider)}", duration, () => Load.RunAsync(workers, duration, OverHttp));

        return new Figures(
            floor.PerSecond, floorCpuPerPetition, floorDatabaseCpuPerPetition,
            (http.Completed - failures) / http.Elapsed.TotalSeconds, cpuPerPetition, databaseCpuPerPetition, clientCpuPerPetition, failures,
            floorStatementsPerPetition, statementsPerPetition, floorRoundTripsPerPetition, roundTripsPerPetition);
    }

    /// <summary>
    /// A fresh database prepared as the <c>migrate</c> command prepares one; with a <paramref name="population"/>, holding
    /// a year of the county's petitions (a <see cref="Population"/>) with this year's case counter past them, as a
    /// county's database is after its first year.
    /// </summary>
    private async Task<string> PreparedDatabaseAsync(StorageProvider provider, BenchDatabases databases, PersonalDataKeys keys)
    {
        var connectionString = await databases.NewAsync(provider);
        await using var services = BenchServices.Compose(provider, BenchDatabases.WithoutCommandTimeout(provider, connectionString), keys);
        await BenchServices.PrepareAsync(services);
        if (population == 0) return connectionString;
        var database = services.GetRequiredService<Database>();
        var today = ShanghaiTime.DateOf(TimeProvider.System.GetUtcNow());
        await new Population(population, today).SeedAsync(database);
        await using var session = new DbSession(database);
        // The population's case numbers end in its row ids.
        await session.ExecuteAsync(
            """
            INSERT INTO case_number_counters (bureau_id, case_year, last_value)
            SELECT id, @Year, (SELECT MAX(id) FROM petitions)
            FROM organizations
            WHERE code = @County
            """,
            new { today.Year, Population.County }, CancellationToken.None);
        return connectionString;
    }
}
