using MediatR;
using Petitions.Workflows.Privacy;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Administration;

/// <summary>
/// After a key rotation: re-encrypts every stored value written with a previous key (ID numbers, and the stored
/// answers of idempotent requests) with the current one, a batch per transaction; rows already re-encrypted no
/// longer match, so it can be stopped and run again. The keyed hashes are not touched: the hash key is not rotated
/// (query codes and person matching depend on it).
/// </summary>
public static class ReencryptPersonalData
{
    public sealed record Command(int BatchSize = 500) : IRequest<int>;

    private sealed record PersonRow
    {
        public long Id { get; init; }
        public string Cipher { get; init; } = "";
    }

    private sealed record AnswerRow
    {
        public string Scope { get; init; } = "";
        public string Key { get; init; } = "";
        public string Cipher { get; init; } = "";
    }

    public sealed class Handler(Database database, PersonalDataProtector protector) : IRequestHandler<Command, int>
    {
        public async Task<int> Handle(Command command, CancellationToken ct)
        {
            var total = 0;
            int done;
            do
            {
                done = await BatchAsync<PersonRow>(
                    """
                    SELECT id               AS Id,
                           id_number_cipher AS Cipher
                    FROM petition_people
                    WHERE id_number_cipher IS NOT NULL
                      AND id_number_cipher NOT LIKE @Current
                    ORDER BY id
                    """,
                    "UPDATE petition_people SET id_number_cipher = @Cipher WHERE id = @Id",
                    row => new { row.Id, Cipher = protector.Encrypt(protector.Decrypt(row.Cipher)) },
                    command.BatchSize, ct);
                total += done;
            }
            while (done > 0);
            do
            {
                done = await BatchAsync<AnswerRow>(
                    """
                    SELECT scope           AS Scope,
                           idempotency_key AS "Key",
                           response_cipher AS Cipher
                    FROM idempotency_keys
                    WHERE response_cipher NOT LIKE @Current
                    ORDER BY scope, idempotency_key
                    """,
                    "UPDATE idempotency_keys SET response_cipher = @Cipher WHERE scope = @Scope AND idempotency_key = @Key",
                    row => new { row.Scope, row.Key, Cipher = protector.Encrypt(protector.Decrypt(row.Cipher)) },
                    command.BatchSize, ct);
                total += done;
            }
            while (done > 0);
            return total;
        }

        private async Task<int> BatchAsync<TRow>(string select, string update, Func<TRow, object> reencrypt, int batchSize, CancellationToken ct)
        {
            await using var session = new DbSession(database);
            await session.BeginAsync(ct);
            var rows = await session.QueryAsync<TRow>(
                database.Dialect.Limit(select, "@BatchSize"), new { Current = protector.CurrentKeyId + ":%", BatchSize = batchSize }, ct);
            foreach (var row in rows) await session.ExecuteAsync(update, reencrypt(row), ct);
            await session.CommitAsync(ct);
            return rows.Count;
        }
    }
}
