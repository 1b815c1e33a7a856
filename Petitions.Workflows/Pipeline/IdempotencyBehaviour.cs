using System.Text.Json;
using MediatR;
using Petitions.Workflows.Privacy;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Pipeline;

/// <summary>
/// Honours an Idempotency-Key inside the command's transaction: the key, a keyed hash of the request and the
/// answer are stored with the effect, so a retry gets the first answer and creates nothing. The stored answer
/// may hold a query code, so it is encrypted.
/// </summary>
public sealed class IdempotencyBehaviour<TRequest, TResponse>(DbSession session, PersonalDataProtector protector, TimeProvider time)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not IIdempotentCommand { IdempotencyKey: { } key } command) return await next();

        var scope = $"{typeof(TRequest).DeclaringType?.Name}:{command.Actor.UserId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "public"}";
        var requestHash = protector.Hash(HashPurpose.Request, JsonSerializer.Serialize(request));
        var first = await session.QuerySingleOrDefaultAsync<StoredAnswer>(
            """
            SELECT request_hash    AS RequestHash,
                   response_cipher AS ResponseCipher
            FROM idempotency_keys
            WHERE scope = @Scope
              AND idempotency_key = @Key
            """,
            new { Scope = scope, Key = key }, cancellationToken);
        if (first is not null)
        {
            if (first.RequestHash != requestHash) throw new IdempotencyKeyReusedException();
            return JsonSerializer.Deserialize<TResponse>(protector.Decrypt(first.ResponseCipher))!;
        }

        var response = await next();
        try
        {
            await session.ExecuteAsync(
                """
                INSERT INTO idempotency_keys (scope, idempotency_key, request_hash, response_cipher, created_at)
                VALUES (@Scope, @Key, @RequestHash, @ResponseCipher, @CreatedAt)
                """,
                new
                {
                    Scope = scope,
                    Key = key,
                    RequestHash = requestHash,
                    ResponseCipher = protector.Encrypt(JsonSerializer.Serialize(response)),
                    CreatedAt = time.GetUtcNow(),
                },
                cancellationToken);
        }
        catch (Exception e) when (session.Dialect.IsUniqueViolation(e))
        {
            throw new ConcurrencyConflictException("A request with this Idempotency-Key is being processed; retry it to get its answer.");
        }
        return response;
    }

    private sealed record StoredAnswer
    {
        public string RequestHash { get; init; } = "";
        public string ResponseCipher { get; init; } = "";
    }
}
