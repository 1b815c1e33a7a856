using MediatR;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Pipeline;

/// <summary>One transaction per command, committed only when the handler succeeds.</summary>
public sealed class TransactionBehaviour<TRequest, TResponse>(DbSession session) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not ICommandRequest) return await next();

        await session.BeginAsync(cancellationToken);
        try
        {
            var response = await next();
            await session.CommitAsync(cancellationToken);
            return response;
        }
        catch
        {
            await session.RollbackAsync();
            throw;
        }
    }
}
