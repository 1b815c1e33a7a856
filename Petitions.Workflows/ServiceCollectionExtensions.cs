using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Petitions.Domain;
using Petitions.Workflows.Features.Deadlines;
using Petitions.Workflows.Materials;
using Petitions.Workflows.Pipeline;
using Petitions.Workflows.Privacy;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers the mediator, its behaviours, every handler and validator of this assembly, and the storage.
    /// MediatR 5.1 has no DI package here, so handlers are found by scanning;
    /// FluentValidation's own registration finds the validators. The behaviours run in the order
    /// listed: metrics, validation, transaction, audit, idempotency, then the handler.
    /// </summary>
    public static IServiceCollection AddPetitionsWorkflows(this IServiceCollection services, PersonalDataKeys keys)
    {
        services.AddScoped<IMediator>(provider => new Mediator(provider.GetService));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(MetricsBehaviour<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(ValidationBehaviour<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(TransactionBehaviour<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(AuditBehaviour<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(IdempotencyBehaviour<,>));

        foreach (var type in typeof(ServiceCollectionExtensions).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }))
        {
            foreach (var contract in type.GetInterfaces().Where(i => i.IsGenericType))
            {
                var definition = contract.GetGenericTypeDefinition();
                if (definition == typeof(IRequestHandler<,>) || definition == typeof(INotificationHandler<>))
                    services.AddScoped(contract, type);
            }
            if (typeof(IActionRule).IsAssignableFrom(type)) services.AddScoped(type);
        }
        // Validators build their rules in the constructor, which is costly: they are stateless singletons.
        services.AddValidatorsFromAssembly(typeof(ServiceCollectionExtensions).Assembly, ServiceLifetime.Singleton);
        services.TryAddSingleton(new WorkflowCatalog([PetitionWorkflowV1.Definition, PetitionWorkflowV2.Definition]));
        services.TryAddSingleton<INotificationSender, LogNotificationSender>();
        MeteredNotificationSender.Decorate(services);
        services.AddMetrics();
        services.AddSingleton<PetitionsMetrics>();

        services.AddSingleton<Database>();
        services.AddSingleton<Migrator>();
        services.AddScoped<DbSession>();
        services.AddScoped<PetitionStore>();
        services.AddScoped<WorkflowRuntime>();
        services.AddScoped<AccountStore>();
        services.AddSingleton<OrganizationCache>();
        services.AddScoped<SupervisionStore>();
        services.AddScoped<ReportCounters>();
        services.AddSingleton<CommittedFacts>();
        services.AddScoped<AuditLog>();
        services.AddSingleton<SecurityStamps>();
        services.AddSingleton(keys);
        services.AddScoped<MaterialStore>();
        services.AddSingleton<MaterialStaging>();
        services.AddOptions<MaterialOptions>().Validate(o => { o.Check(); return true; });
        services.AddSingleton(new PersonalDataProtector(keys));
        services.AddSingleton<IPasswordHasher<UserAccount>, PasswordHasher<UserAccount>>();
        services.AddSingleton<DeadlineRulesCache>();
        services.AddScoped<DeadlineRules>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
