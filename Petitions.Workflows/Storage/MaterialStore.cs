using System.Data;
using Microsoft.Extensions.Options;
using Petitions.Domain;
using Petitions.Workflows.Materials;
using Petitions.Workflows.Privacy;

namespace Petitions.Workflows.Storage;

/// <summary>
/// Writes and reads materials: the row with its encrypted file name, and the sealed chunks of its content, in the
/// command's transaction; content is read back a chunk at a time.
/// </summary>
public sealed class MaterialStore(DbSession session, PetitionStore petitions, AccountStore accounts, PersonalDataProtector protector, IOptions<MaterialOptions> options)
{
    /// <summary>A material as stored, with its content's facts; its file name still sealed.</summary>
    public sealed record Row
    {
        public long Id { get; init; }
        public long ContentId { get; init; }
        public string Kind { get; init; } = "";
        public string? Description { get; init; }
        public string FileNameCipher { get; init; } = "";
        public string MediaType { get; init; } = "";
        public string TypeCode { get; init; } = "";
        public long SizeBytes { get; init; }
        public string ContentHash { get; init; } = "";
        public string SealBinding { get; init; } = "";
        public string Source { get; init; } = "";
        public DateTimeOffset AttachedAt { get; init; }
        public long? AttachedBy { get; init; }
        public string? AttachedByName { get; init; }
        public string? AttachedByOrganization { get; init; }
        public DateTimeOffset? WithdrawnAt { get; init; }
        public string? WithdrawnByName { get; init; }
        public string? WithdrawalReason { get; init; }

        public Material Material => Domain.Material.Restore(Id, Codes.Parse<MaterialKind>(Kind), AttachedBy, WithdrawnAt);
    }

    /// <summary>A file's content written to the database, waiting in the same transaction for the material that names it.</summary>
    public sealed record StoredContent(long Id, MaterialInput Input);

    /// <summary>
    /// Writes the staged files' contents, chunk by chunk. It is the slow part of attaching, so a registration does it
    /// before it takes the bureau's next case number.
    /// </summary>
    public async Task<IReadOnlyList<StoredContent>> StoreContentsAsync(IReadOnlyList<MaterialInput> files, CancellationToken ct)
    {
        // Most registrations bring no file: the chunk buffer (a quarter of a megabyte, zeroed) is then not worth its cost.
        if (files.Count == 0) return [];
        var stored = new List<StoredContent>();
        var chunk = new byte[MaterialChunks.SealedBytes];
        foreach (var input in files)
        {
            var file = input.File;
            var id = await session.ScalarAsync<long>(
                session.Dialect.InsertReturningId(
                    """
                    INSERT INTO material_contents (
                        seal_binding,
                        size_bytes,
                        content_hash,
                        type_code,
                        media_type)
                    """,
                    """
                    VALUES (
                        @SealBinding,
                        @Size,
                        @ContentHash,
                        @TypeCode,
                        @MediaType)
                    """),
                new { SealBinding = Convert.ToHexStringLower(file.SealBinding), file.Size, file.ContentHash, TypeCode = file.Type.Code, file.Type.MediaType },
                ct);
            for (var ordinal = 0; ordinal < file.ChunkCount; ordinal++)
            {
                var (keyId, length) = await file.ReadSealedAsync(ordinal, chunk, ct);
                await session.ExecuteAsync(
                    """
                    INSERT INTO material_chunks (content_id, ordinal, key_id, cipher)
                    VALUES (@ContentId, @Ordinal, @KeyId, @Cipher)
                    """,
                    new { ContentId = id, Ordinal = ordinal, KeyId = keyId, Cipher = length == chunk.Length ? chunk : chunk[..length] },
                    ct);
            }
            stored.Add(new StoredContent(id, input));
        }
        return stored;
    }

    /// <summary>
    /// Attaches stored contents to a petition: a material each, with its history entry. The petition's room is taken
    /// first: its row stays locked to the commit, so two requests attaching to one petition take turns, and the second
    /// sees the first's files when it looks for the same file.
    /// </summary>
    public async Task<IReadOnlyList<long>> AttachAsync(long petitionId, Stage stage, IReadOnlyList<StoredContent> contents, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        if (contents.Count == 0) return [];
        var added = contents.Sum(c => c.Input.File.Size);
        var limit = options.Value.MaxPetitionBytes;
        var taken = await session.ExecuteAsync(
            """
            UPDATE petitions
            SET material_bytes = material_bytes + @Added
            WHERE id = @Id
              AND material_bytes + @Added <= @Limit
            """,
            new { Id = petitionId, Added = added, Limit = limit }, ct);
        if (taken == 0)
        {
            Material.RequireRoom(await session.ScalarAsync<long>("SELECT material_bytes FROM petitions WHERE id = @Id", new { Id = petitionId }, ct), added, limit);
            throw new ConcurrencyConflictException("Another request attached materials to this petition meanwhile; send the files again.");
        }

        var ids = new List<long>();
        foreach (var (contentId, input) in contents)
        {
            Material.RequireNew(await SameContentAsync(petitionId, input.File.ContentHash, ct));
            var id = await session.ScalarAsync<long>(
                session.Dialect.InsertReturningId(
                    """
                    INSERT INTO materials (
                        petition_id,
                        content_id,
                        kind,
                        description,
                        file_name_cipher,
                        source,
                        attached_at,
                        attached_by,
                        attached_by_org)
                    """,
                    """
                    VALUES (
                        @PetitionId,
                        @ContentId,
                        @Kind,
                        @Description,
                        @FileNameCipher,
                        @Source,
                        @AttachedAt,
                        @AttachedBy,
                        @AttachedByOrg)
                    """),
                new
                {
                    PetitionId = petitionId,
                    ContentId = contentId,
                    input.Kind,
                    Description = Blank(input.Description),
                    FileNameCipher = protector.Encrypt(input.File.FileName),
                    Source = actor.IsStaff ? "staff" : "petitioner",
                    AttachedAt = now,
                    AttachedBy = actor.UserId,
                    AttachedByOrg = actor.OrganizationId,
                },
                ct);
            await petitions.AppendEventAsync(petitionId, now, "attach-material", stage, actor, Reference(id, input.Description), isPublic: false, ct);
            ids.Add(id);
        }
        return ids;
    }

    private Task<long?> SameContentAsync(long petitionId, string contentHash, CancellationToken ct) =>
        session.QuerySingleOrDefaultAsync<long?>(
            """
            SELECT m.id
            FROM materials m
            JOIN material_contents c ON c.id = m.content_id
            WHERE m.petition_id = @PetitionId
              AND c.content_hash = @ContentHash
              AND m.withdrawn_at IS NULL
            """,
            new { PetitionId = petitionId, ContentHash = contentHash }, ct);

    private const string SelectRows = """
        SELECT m.id                AS Id,
               m.content_id        AS ContentId,
               m.kind              AS Kind,
               m.description       AS Description,
               m.file_name_cipher  AS FileNameCipher,
               c.media_type        AS MediaType,
               c.type_code         AS TypeCode,
               c.size_bytes        AS SizeBytes,
               c.content_hash      AS ContentHash,
               c.seal_binding      AS SealBinding,
               m.source            AS Source,
               m.attached_at       AS AttachedAt,
               m.attached_by       AS AttachedBy,
               u.display_name      AS AttachedByName,
               o.name              AS AttachedByOrganization,
               m.withdrawn_at      AS WithdrawnAt,
               w.display_name      AS WithdrawnByName,
               m.withdrawal_reason AS WithdrawalReason
        FROM materials m
        JOIN material_contents c ON c.id = m.content_id
        LEFT JOIN users u ON u.id = m.attached_by
        LEFT JOIN organizations o ON o.id = m.attached_by_org
        LEFT JOIN users w ON w.id = m.withdrawn_by
        """;

    public Task<IReadOnlyList<Row>> ListAsync(long petitionId, CancellationToken ct) =>
        session.QueryAsync<Row>($"{SelectRows}\nWHERE m.petition_id = @PetitionId\nORDER BY m.id", new { PetitionId = petitionId }, ct);

    public Task<Row?> FindAsync(long petitionId, long materialId, CancellationToken ct) =>
        session.QuerySingleOrDefaultAsync<Row>($"{SelectRows}\nWHERE m.petition_id = @PetitionId\n  AND m.id = @Id", new { PetitionId = petitionId, Id = materialId }, ct);

    public string FileName(Row row) => protector.Decrypt(row.FileNameCipher);

    /// <summary>The material's content, read a chunk at a time over this request's connection, checked against its hash
    /// when read to the end.</summary>
    public Stream OpenContent(Row row) =>
        new ContentStream(new DatabaseChunks(session, row.ContentId), protector, row.SizeBytes, Convert.FromHexString(row.SealBinding), row.ContentHash);

    /// <summary>Marks a material withdrawn (it stays, with who, when and why) and notes it in the history.</summary>
    public async Task WithdrawAsync(long petitionId, Stage stage, Material material, Actor actor, CancellationToken ct)
    {
        var withdrawn = await session.ExecuteAsync(
            """
            UPDATE materials
            SET withdrawn_at      = @WithdrawnAt,
                withdrawn_by      = @WithdrawnBy,
                withdrawal_reason = @Reason
            WHERE id = @Id
              AND withdrawn_at IS NULL
            """,
            new { material.Id, material.WithdrawnAt, WithdrawnBy = actor.UserId, Reason = material.WithdrawalReason }, ct);
        if (withdrawn == 0) throw new ConcurrencyConflictException("The material was withdrawn by someone else meanwhile.");
        await petitions.AppendEventAsync(petitionId, material.WithdrawnAt!.Value, "withdraw-material", stage, actor, Reference(material.Id, material.WithdrawalReason), isPublic: false, ct);
    }

    /// <summary>The proof-of-service policy of an organization: its own setting, else the nearest level above with one.</summary>
    public async Task<ProofOfServicePolicy> ProofOfServicePolicyAsync(long organizationId, CancellationToken ct)
    {
        var organization = await accounts.OrganizationAsync(organizationId, ct) ?? throw new InvalidOperationException($"No organization {organizationId}.");
        // Few organizations set it: all of them are read, and the nearest at or above this one is taken.
        var settings = await session.QueryAsync<(string Path, string Methods)>(
            """
            SELECT path             AS Path,
                   proof_of_service AS Methods
            FROM organizations
            WHERE proof_of_service IS NOT NULL
            """,
            null, ct);
        var nearest = settings.Where(s => organization.Path.StartsWith(s.Path, StringComparison.Ordinal)).OrderByDescending(s => s.Path.Length).Select(s => s.Methods).FirstOrDefault();
        return nearest is null ? ProofOfServicePolicy.None : ProofOfServiceSetting.Read(nearest);
    }

    public Task SetProofOfServiceAsync(long organizationId, IReadOnlyCollection<ServiceMethod> methods, CancellationToken ct) =>
        session.ExecuteAsync(
            "UPDATE organizations SET proof_of_service = @Methods WHERE id = @Id",
            new { Id = organizationId, Methods = ProofOfServiceSetting.Write(methods) }, ct);

    /// <summary>Whether a signed proof of service stands among the materials attached since the reply being served was
    /// issued (its opinion notice); a proof of an earlier reply does not count.</summary>
    public async Task<bool> HasSignedProofOfServiceAsync(long petitionId, CancellationToken ct)
    {
        var issued = await session.QueryAsync<DateTimeOffset>(
            session.Dialect.Limit(
                """
                SELECT issued_at
                FROM notices
                WHERE petition_id = @PetitionId
                  AND kind IN ('handling-opinion', 'review-opinion', 'rereview-opinion')
                ORDER BY id DESC
                """,
                "1"),
            new { PetitionId = petitionId },
            ct);
        var proofs = await session.QueryAsync<DateTimeOffset>(
            """
            SELECT attached_at
            FROM materials
            WHERE petition_id = @PetitionId
              AND kind = @Kind
              AND withdrawn_at IS NULL
            """,
            new { PetitionId = petitionId, Kind = Codes.Of(MaterialKind.SignedProofOfService) }, ct);
        return proofs.Any(attached => issued.Count == 0 || attached >= issued[0]);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>The history's note of a material: its number, and its description or the withdrawal's reason.</summary>
    private static string Reference(long id, string? text) => Blank(text) is { } note ? $"#{id} {note}" : $"#{id}";

    /// <summary>A material's chunks in the database, one query each, so a slow download holds no long-running read.</summary>
    private sealed class DatabaseChunks(DbSession session, long contentId) : IChunkSource
    {
        public async ValueTask<(string KeyId, int Length)> ReadSealedAsync(int ordinal, byte[] buffer, CancellationToken ct)
        {
            // Sequential: the chunk goes from the driver straight into the caller's buffer.
            await using var reader = await session.ExecuteReaderAsync(
                """
                SELECT key_id,
                       cipher
                FROM material_chunks
                WHERE content_id = @ContentId
                  AND ordinal = @Ordinal
                """,
                new { ContentId = contentId, Ordinal = ordinal }, CommandBehavior.SequentialAccess | CommandBehavior.SingleRow, ct);
            if (!await reader.ReadAsync(ct)) throw new InvalidDataException($"Material content {contentId} has no chunk {ordinal}.");
            var keyId = reader.GetString(0);
            var length = 0;
            for (long read; length < buffer.Length && (read = reader.GetBytes(1, length, buffer, length, buffer.Length - length)) > 0;) length += (int)read;
            return (keyId, length);
        }
    }
}

/// <summary>How an organization's proof-of-service setting is stored: the service methods' codes, comma-separated.</summary>
public static class ProofOfServiceSetting
{
    public static string Write(IEnumerable<ServiceMethod> methods) => string.Join(',', methods.Distinct().Order().Select(Codes.Of));

    public static ProofOfServicePolicy Read(string stored) =>
        new(stored.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Codes.Parse<ServiceMethod>).ToHashSet());
}
