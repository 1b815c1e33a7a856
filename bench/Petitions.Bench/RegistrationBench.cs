using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Domain;
using Petitions.Workflows;
using Petitions.Workflows.Privacy;
using Petitions.Workflows.Storage;

namespace Petitions.Bench;

/// <summary>
/// Registrations per second through the whole service over HTTP, against the raw floor: the same rows written
/// straight through <see cref="PetitionStore"/> (counter, petition, people, first event, intake clock) with no
/// HTTP, no pipeline, no validation, no audit and no idempotency record, on a database of the same provider.
/// </summary>
internal sealed class RegistrationBench(int workers, TimeSpan warmUp, TimeSpan duration, Profiler? profiler)
{
    public sealed record Figures(
        string Provider, double FloorPerSecond, double HttpPerSecond, double ServiceCpuMsPerRegistration, double PeakMemoryMiB, long Failures)
    {
        public double Ratio => HttpPerSecond / FloorPerSecond;
    }

    public async Task<Figures> RunAsync(StorageProvider provider, Func<Task<string>> newDatabase)
    {
        var keys = PersonalDataKeys.Generate();

        // The floor, on a fresh database.
        await using var floorServices = BenchServices.Compose(provider, await newDatabase(), keys);
        await BenchServices.PrepareAsync(floorServices);
        var actor = await BenchServices.ActorAsync(floorServices, "reception");
        await Load.WarmUpAsync(workers, warmUp, Environment.ProcessId, _ => WriteStraightAsync(floorServices, actor));
        var floor = await Load.RunAsync(workers, duration, _ => WriteStraightAsync(floorServices, actor));

        // The whole service, on another fresh database, over HTTP with keep-alive connections.
        var serviceDatabase = await newDatabase();
        await using (var setup = BenchServices.Compose(provider, serviceDatabase, keys)) await BenchServices.PrepareAsync(setup);
        await using var service = await ServiceProcess.StartAsync(provider, serviceDatabase, keys, profiler is null ? null : Profiler.ServiceSettings);
        using var client = service.Client(workers);
        var token = await ServiceProcess.TokenAsync(client, "reception");
        var bodies = Registrations.Bodies(4096);
        long failures = 0;
        async Task Register(int n)
        {
            using var response = await ServiceProcess.PostAsync(client, "/api/petitions", token, bodies[n % bodies.Length], idempotent: true);
            if (response.StatusCode != HttpStatusCode.Created) Interlocked.Increment(ref failures);
        }
        await Load.WarmUpAsync(workers, warmUp, service.ProcessId, Register);
        failures = 0;
        var cpuBefore = service.CpuTime();
        var http = await Load.RunAsync(workers, duration, Register);
        var cpuPerRegistration = (service.CpuTime() - cpuBefore).TotalMilliseconds / http.Completed;
        if (profiler is not null) await profiler.TraceAsync(service, $"registration-{Codes.Of(provider)}", duration, () => Load.RunAsync(workers, duration, Register));

        return new Figures(
            Codes.Of(provider), floor.PerSecond, (http.Completed - failures) / http.Elapsed.TotalSeconds, cpuPerRegistration, service.PeakMemoryMiB(), failures);
    }

    private static long _floorPetitioners;

    /// <summary>One registration's rows, straight through the store in one transaction.</summary>
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
        IdNumber.TryParse(Registrations.IdNumber(n), ShanghaiTime.DateOf(now), out var idNumber, out _);
        var intake = new PetitionIntake(
            Channel.Visit, Category.Complaint, new Person("张三", idNumber, Registrations.Phone(n), Registrations.Address), [], 1, "噪音扰民", Registrations.Content, null, null, now);
        var petition = Petition.Register(intake, caseNumber, bureau.Id, bureau.Path, null, false, now, DeadlinePolicy.National, HolidayCalendar.National);
        await store.InsertRegisteredAsync(
            petition, bureau, protector.Hash(HashPurpose.QueryCode, $"{caseNumber}:{QueryCode.New()}"), workflowVersion: 1, policyId: null, firstPetition: true, actor, now, CancellationToken.None);
        await session.CommitAsync(CancellationToken.None);
    }
}
