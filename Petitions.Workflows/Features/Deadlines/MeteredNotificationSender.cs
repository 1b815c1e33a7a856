using Microsoft.Extensions.DependencyInjection;

namespace Petitions.Workflows.Features.Deadlines;

/// <summary>Counts what the configured sender sent and what it failed to send, whoever calls it.</summary>
public sealed class MeteredNotificationSender(INotificationSender inner, PetitionsMetrics metrics) : INotificationSender
{
    public async Task SendAsync(OutboxMessage message, CancellationToken ct)
    {
        try
        {
            await inner.SendAsync(message, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            metrics.Notified(sent: false);
            throw;
        }
        metrics.Notified(sent: true);
    }

    /// <summary>Wraps the sender registered last (the default, or a deployment's) in this one.</summary>
    public static void Decorate(IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(INotificationSender));
        services.Remove(registered);
        services.AddSingleton<INotificationSender>(provider => new MeteredNotificationSender(
            (INotificationSender)(registered.ImplementationInstance
                ?? registered.ImplementationFactory?.Invoke(provider)
                ?? ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!)),
            provider.GetRequiredService<PetitionsMetrics>()));
    }
}
