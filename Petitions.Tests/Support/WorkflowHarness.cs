using MediatR;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Petitions.Workflows;
using Petitions.Workflows.Features.Accounts;
using Petitions.Workflows.Features.Deadlines;
using Petitions.Workflows.Privacy;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Tests.Support;

/// <summary>The workflows as the service composes them (mediator, behaviours, real database), without HTTP.</summary>
public sealed class WorkflowHarness : IAsyncDisposable
{
    private WorkflowHarness(ServiceProvider services, ManualClock clock, TestDatabase database)
    {
        Services = services;
        Clock = clock;
        Database = database;
    }

    public ServiceProvider Services { get; }
    public ManualClock Clock { get; }
    public TestDatabase Database { get; }

    /// <summary>What the outbox dispatcher queued and what delivery sent (the service hands both to Hangfire's jobs).</summary>
    public QueuedNotifications Notifications => Services.GetRequiredService<QueuedNotifications>();

    /// <param name="configure">Services or options a test changes (materials' limits).</param>
    public static async Task<WorkflowHarness> StartAsync(
        TestDatabase database, DateTimeOffset? now = null, WorkflowCatalog? workflows = null, PersonalDataKeys? keys = null, Action<IServiceCollection>? configure = null)
    {
        var clock = new ManualClock(now ?? ManualClock.Shanghai(2026, 11, 20));
        var services = new ServiceCollection()
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton<TimeProvider>(clock);
        services.AddOptions<StorageOptions>().Configure(o =>
        {
            o.Provider = database.Provider;
            o.ConnectionString = database.ConnectionString;
        });
        if (workflows is not null) services.AddSingleton(workflows);
        var notifications = new QueuedNotifications();
        services.AddSingleton(notifications).AddSingleton<INotificationQueue>(notifications).AddSingleton<INotificationSender>(notifications);
        services.AddPetitionsWorkflows(keys ?? PersonalDataKeys.Generate());
        services.Configure<PasswordHasherOptions>(o => o.IterationCount = TestData.PasswordIterations);
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        await TestData.SeedAsync(provider);
        return new WorkflowHarness(provider, clock, database);
    }

    /// <summary>Sends a request through the whole pipeline in a scope of its own, as one HTTP request would.</summary>
    public async Task<T> SendAsync<T>(IRequest<T> request)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request, TestContext.Current.CancellationToken);
    }

    /// <summary>The actor of a seeded user, signed in through the real sign-in query.</summary>
    public async Task<Actor> ActorAsync(string userName)
    {
        var user = await SendAsync(new SignIn.Query(userName, TestData.Password));
        return new Actor(user.UserId, user.OrganizationId, user.Roles.ToHashSet());
    }

    public async ValueTask DisposeAsync() => await Services.DisposeAsync();
}
