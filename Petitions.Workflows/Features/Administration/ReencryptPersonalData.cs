using System.Security.Cryptography;
using MediatR;
using Petitions.Workflows.Materials;
using Petitions.Workflows.Privacy;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Administration;

/// <summary>
/// After a key rotation: re-encrypts every stored value written with a previous key (ID numbers, the stored answers of
/// idempotent requests, materials' file names and the chunks of their content) with the current one, a batch per
/// transaction; rows already re-encrypted no longer match, so it can be stopped and run again. A chunk keeps its place
/// and binding, so a material reads the same throughout. The keyed hashes are not touched: the hash key is not rotated
/// (query codes, person matching and materials' content hashes depend on it).
/// </summary>
public static class ReencryptPersonalData
{
    public sealed record Command(int BatchSize = 500) : IRequest<int>;

    /// <summary>A row's id and one encrypted value of it (an ID number, a material's file name).</summary>
    private sealed record CipherRow
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

    private sealed record ChunkRow
    {
        public long ContentId { get; init; }
        public int Ordinal { get; init; }
        public string KeyId { get; init; } = "";
        public byte[] Cipher { get; init; } = [];
        public string SealBinding { get; init; } = "";
        public long SizeBytes { get; init; }
    }

    /// <summary>Chunks are up to 256 KiB each: a batch of them holds at most 4 MiB.</summary>
    private const int ChunksPerBatch = 16;

    public sealed class Handler(Database database, PersonalDataProtector protector) : IRequestHandler<Command, int>
    {
        public async Task<int> Handle(Command command, CancellationToken ct) =>
            await UntilDoneAsync(() => BatchAsync<CipherRow>(
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
                command.BatchSize, ct))
            + await UntilDoneAsync(() => BatchAsync<AnswerRow>(
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
                command.BatchSize, ct))
            + await UntilDoneAsync(() => BatchAsync<CipherRow>(
                """
                SELECT id               AS Id,
                       file_name_cipher AS Cipher
                FROM materials
                WHERE file_name_cipher NOT LIKE @Current
                ORDER BY id
                """,
                "UPDATE materials SET file_name_cipher = @Cipher WHERE id = @Id",
                row => new { row.Id, Cipher = protector.Encrypt(protector.Decrypt(row.Cipher)) },
                command.BatchSize, ct))
            + await UntilDoneAsync(() => ChunkBatchAsync(Math.Min(command.BatchSize, ChunksPerBatch), ct));

        /// <summary>Runs batches until one finds nothing left; returns how many values they re-encrypted.</summary>
        private static async Task<int> UntilDoneAsync(Func<Task<int>> batch)
        {
            var total = 0;
            for (var done = await batch(); done > 0; done = await batch()) total += done;
            return total;
        }

        private async Task<int> ChunkBatchAsync(int batchSize, CancellationToken ct)
        {
            await using var session = new DbSession(database);
            await session.BeginAsync(ct);
            var chunks = await session.QueryAsync<ChunkRow>(
                database.Dialect.Limit(
                    """
                    SELECT k.content_id   AS ContentId,
                           k.ordinal      AS Ordinal,
                           k.key_id       AS KeyId,
                           k.cipher       AS Cipher,
                           c.seal_binding AS SealBinding,
                           c.size_bytes   AS SizeBytes
                    FROM material_chunks k
                    JOIN material_contents c ON c.id = k.content_id
                    WHERE k.key_id <> @Current
                    ORDER BY k.content_id, k.ordinal
                    """,
                    "@BatchSize"),
                new { Current = protector.CurrentKeyId, BatchSize = batchSize }, ct);
            foreach (var chunk in chunks)
            {
                var context = MaterialChunks.Context(Convert.FromHexString(chunk.SealBinding), chunk.Ordinal, chunk.Ordinal == MaterialChunks.Count(chunk.SizeBytes) - 1);
                var plain = new byte[chunk.Cipher.Length - PersonalDataProtector.SealOverhead];
                protector.OpenChunk(chunk.KeyId, chunk.Cipher, context, plain);
                var resealed = new byte[chunk.Cipher.Length];
                var keyId = protector.SealChunk(plain, context, resealed);
                CryptographicOperations.ZeroMemory(plain);
                await session.ExecuteAsync(
                    "UPDATE material_chunks SET key_id = @KeyId, cipher = @Cipher WHERE content_id = @ContentId AND ordinal = @Ordinal",
                    new { KeyId = keyId, Cipher = resealed, chunk.ContentId, chunk.Ordinal }, ct);
            }
            await session.CommitAsync(ct);
            return chunks.Count;
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
