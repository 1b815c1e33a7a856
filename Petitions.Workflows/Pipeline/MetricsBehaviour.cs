using MediatR;
using Petitions.Workflows.Features.Actions;
using Petitions.Workflows.Features.Petitions;

namespace Petitions.Workflows.Pipeline;

/// <summary>Counts registrations and workflow actions once they are done: outside the transaction, so only committed
/// ones count, by their validated codes.</summary>
public sealed class MetricsBehaviour<TRequest, TResponse>(PetitionsMetrics metrics) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var response = await next();
        switch (request)
        {
            case RegisterPetition.Command registration:
                metrics.Registered(registration.Channel!);
                break;
            case PerformAction.Command action:
                metrics.Acted(action.Action);
                break;
        }
        return response;
    }
}
