using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MediatR;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Petitions.Domain;
using Petitions.Workflows;
using Petitions.Workflows.Features.Accounts;
using Petitions.Workflows.Features.Administration;
using Petitions.Workflows.Privacy;
using Petitions.Workflows.Storage;

namespace Petitions.Bench;

/// <summary>
/// Registrations per second through the whole service over HTTP, against the raw floor: the same rows written
/// straight through <see cref="PetitionStore"/> (counter, petition, people, first event, intake clock) with no
/// HTTP, no pipeline, no validation, no audit and no idempotency record, on a database of the same provider.
/// </summary>
internal sealed class RegistrationBench(int workers, TimeSpan warmUp, TimeSpan duration)
{
    private const string Password = "Bench-Password-1";

    public sealed record Figures(
        string Provider, double FloorPerSecond, double HttpPerSecond, double ServiceCpuMsPerRegistration, double PeakMemoryMiB, long Failures)
    {
        public double Ratio => HttpPerSecond / FloorPerSecond;
    }

    public async Task<Figures> RunAsync(StorageProvider provider, Func<Task<string>> newDatabase)
    {
        var keys = PersonalDataKeys.Generate();

        // The floor, on a fresh database.
        await using var floorServices = Compose(provider, await newDatabase(), keys);
        await PrepareAsync(floorServices);
        var actor = await ActorAsync(floorServices);
        await Load.RunAsync(workers, warmUp, _ => WriteStraightAsync(floorServices, actor));
        var floor = await Load.RunAsync(workers, duration, _ => WriteStraightAsync(floorServices, actor));

        // The whole service, on another fresh database, over HTTP with keep-alive connections.
        var serviceDatabase = await newDatabase();
        await using (var setup = Compose(provider, serviceDatabase, keys)) await PrepareAsync(setup);
        await using var service = await ServiceProcess.StartAsync(provider, serviceDatabase, keys);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = workers, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = service.Address,
        };
        var token = await TokenAsync(client);
        // Bodies are serialized once, as a load tool would send them: the client's CPU is the service's loss here.
        // Each is another petitioner, as at a real desk.
        var bodies = Enumerable.Range(0, 4096).Select(n => JsonSerializer.SerializeToUtf8Bytes(Body(n))).ToArray();
        long failures = 0;
        async Task Register(int n)
        {
            var content = new ByteArrayContent(bodies[n % bodies.Length]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/petitions") { Content = content };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            using var response = await client.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Created) Interlocked.Increment(ref failures);
        }
        await Load.RunAsync(workers, warmUp, Register);
        failures = 0;
        var cpuBefore = service.CpuTime();
        var http = await Load.RunAsync(workers, duration, Register);
        var cpuPerRegistration = (service.CpuTime() - cpuBefore).TotalMilliseconds / http.Completed;

        return new Figures(
            Codes.Of(provider), floor.PerSecond, (http.Completed - failures) / http.Elapsed.TotalSeconds, cpuPerRegistration, service.PeakMemoryMiB(), failures);
    }

    private static ServiceProvider Compose(StorageProvider provider, string connectionString, PersonalDataKeys keys)
    {
        var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddOptions<StorageOptions>().Configure(o =>
        {
            o.Provider = provider;
            o.ConnectionString = connectionString;
        });
        services.AddPetitionsWorkflows(keys);
        return services.BuildServiceProvider();
    }

    private static async Task PrepareAsync(ServiceProvider services)
    {
        await services.GetRequiredService<Migrator>().MigrateAsync(CancellationToken.None);
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new SeedDemoData.Command(Password));
    }

    private static async Task<Actor> ActorAsync(ServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new SignIn.Query("reception", Password));
        return new Actor(user.UserId, user.OrganizationId, user.Roles.ToHashSet());
    }

    /// <summary>One registration's rows, straight through the store in one transaction.</summary>
    private static long _floorPetitioners;

    private static async Task WriteStraightAsync(ServiceProvider services, Actor actor)
    {
        await using var scope = services.CreateAsyncScope();
        var session = scope.ServiceProvider.GetRequiredService<DbSession>();
        var store = scope.ServiceProvider.GetRequiredService<PetitionStore>();
        var protector = scope.ServiceProvider.GetRequiredService<PersonalDataProtector>();
        var now = DateTimeOffset.UtcNow;
        await session.BeginAsync(CancellationToken.None);
        var bureau = (await store.BureauOfAsync(actor.OrganizationId!.Value, CancellationToken.None))!;
        var caseNumber = await store.NextCaseNumberAsync(bureau, ShanghaiTime.DateOf(now).Year, CancellationToken.None);
        var n = Interlocked.Increment(ref _floorPetitioners);
        IdNumber.TryParse(Petitioner.IdNumber(n), ShanghaiTime.DateOf(now), out var idNumber, out _);
        var intake = new PetitionIntake(Channel.Visit, Category.Complaint, new Person("张三", idNumber, Petitioner.Phone(n), "示范县城关镇1号"), [], 1, "噪音扰民", Content, null, null, now);
        var petition = Petition.Register(intake, caseNumber, bureau.Id, null, now, DeadlinePolicy.National, HolidayCalendar.National);
        await store.InsertRegisteredAsync(
            petition, bureau, protector.Hash(HashPurpose.QueryCode, $"{caseNumber}:{QueryCode.New()}"), workflowVersion: 1, policyId: null, firstPetition: true, actor, now, CancellationToken.None);
        await session.CommitAsync(CancellationToken.None);
    }

    private const string Content = "邻居夜间施工，噪音扰民，多次反映未果，请求有关部门依法处理。";

    private static object Body(int n) => new
    {
        channel = "visit",
        category = "complaint",
        petitioner = new { name = "张三", idNumber = Petitioner.IdNumber(n), phone = Petitioner.Phone(n), address = "示范县城关镇1号" },
        subject = $"噪音扰民 {n}",
        content = Content,
    };

    private static async Task<string> TokenAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/auth/token", new { userName = "reception", password = Password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    /// <summary>Distinct, valid petitioners for the load.</summary>
    private static class Petitioner
    {
        public static string IdNumber(long n)
        {
            var first17 = $"330799{new DateOnly(1950, 1, 1).AddDays((int)(n % 20_000)):yyyyMMdd}{n / 20_000 % 1000:D3}";
            return first17 + Domain.IdNumber.CheckCharacter(first17);
        }

        public static string Phone(long n) => $"139{n % 100_000_000:D8}";
    }
}
