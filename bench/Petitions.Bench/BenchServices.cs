using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Petitions.Api.Hosting;
using Petitions.Workflows;
using Petitions.Workflows.Features.Accounts;
using Petitions.Workflows.Features.Administration;
using Petitions.Workflows.Privacy;
using Petitions.Workflows.Storage;

namespace Petitions.Bench;

/// <summary>The workflows composed in the benchmark's own process (mediator, behaviours, stores), as the service
/// composes them, over one database; and the demo organizations and users every suite acts as.</summary>
internal static class BenchServices
{
    public const string Password = "Bench-Password-1";

    public static ServiceProvider Compose(StorageProvider provider, string connectionString, PersonalDataKeys keys)
    {
        var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddOptions<StorageOptions>().Configure(o =>
        {
            o.Provider = provider;
            o.ConnectionString = connectionString;
            // Floors and seeding measure the database, not the limit's refusals: work waits for a slot as long as it takes.
            o.WorkQueueLimit = int.MaxValue;
            o.WorkQueueTimeout = Timeout.InfiniteTimeSpan;
        });
        services.AddPetitionsWorkflows(keys);
        return services.BuildServiceProvider();
    }

    /// <summary>Migrates as the <c>migrate</c> command does (our migrations, then Hangfire's schema) and seeds the demo tree
    /// and users (reception, office, handler, leader, … with <see cref="Password"/>). A service started on the database
    /// then starts as a deployed one restarts.</summary>
    public static async Task PrepareAsync(ServiceProvider services)
    {
        var migrator = services.GetRequiredService<Migrator>();
        await migrator.MigrateAsync(CancellationToken.None);
        await Scheduling.InstallJobStorageAsync(migrator, services.GetRequiredService<IOptions<StorageOptions>>().Value, CancellationToken.None);
        await SendAsync(services, new SeedDemoData.Command(Password));
    }

    public static async Task<Actor> ActorAsync(ServiceProvider services, string userName)
    {
        var user = await SendAsync(services, new SignIn.Query(userName, Password));
        return new Actor(user.UserId, user.OrganizationId, user.Roles.ToHashSet());
    }

    /// <summary>One request through the whole pipeline in a scope of its own, as one HTTP request would be.</summary>
    public static async Task<T> SendAsync<T>(ServiceProvider services, IRequest<T> request)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }
}
