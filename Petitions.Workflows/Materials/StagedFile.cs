using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Petitions.Workflows.Privacy;

namespace Petitions.Workflows.Materials;

/// <summary>
/// An uploaded file that passed the door: its content sealed chunk by chunk into a temporary file (never plaintext on
/// disk, never all of it in memory), its type decided by its content, its name cleaned, its keyed hash taken. A command
/// then writes it to the database in one transaction; disposing deletes the temporary file.
/// </summary>
public sealed class StagedFile : IAsyncDisposable, IChunkSource
{
    private readonly FileStream _file;
    private readonly PersonalDataProtector _protector;

    private StagedFile(FileStream file, PersonalDataProtector protector, string keyId, byte[] binding)
    {
        _file = file;
        _protector = protector;
        KeyId = keyId;
        SealBinding = binding;
    }

    public string FileName { get; private set; } = "";
    [JsonIgnore] public MaterialType Type { get; private set; } = MaterialTypes.Pdf;
    public long Size { get; private set; }
    public string ContentHash { get; private set; } = "";
    [JsonIgnore] public string KeyId { get; }
    [JsonIgnore] public byte[] SealBinding { get; }
    [JsonIgnore] public int ChunkCount => MaterialChunks.Count(Size);

    public async ValueTask<(string KeyId, int Length)> ReadSealedAsync(int ordinal, byte[] buffer, CancellationToken ct)
    {
        var length = ordinal == ChunkCount - 1 ? (int)(Size - (long)ordinal * MaterialChunks.PlainBytes) + PersonalDataProtector.SealOverhead : MaterialChunks.SealedBytes;
        var read = await RandomAccess.ReadAsync(_file.SafeFileHandle, buffer.AsMemory(0, length), (long)ordinal * MaterialChunks.SealedBytes, ct);
        return read == length ? (KeyId, length) : throw new IOException($"The staged upload ended in chunk {ordinal}.");
    }

    /// <summary>The plaintext, for the type checks.</summary>
    internal Stream OpenContent() => new ContentStream(this, _protector, Size, SealBinding, expectedHash: null);

    public ValueTask DisposeAsync() => _file.DisposeAsync();

    /// <summary>
    /// Reads <paramref name="source"/> to its end into a staged file, refusing at once what its first bytes show is not
    /// an allowed type and what grows past <paramref name="maxBytes"/>; then confirms the type from the whole content.
    /// </summary>
    public static async Task<StagedFile> StageAsync(
        Stream source, string? sentName, long maxBytes, PersonalDataProtector protector, MaterialOptions options, string field, CancellationToken ct)
    {
        var folder = options.StagingPath is { Length: > 0 } configured ? configured : Path.GetTempPath();
        var fileOptions = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            Options = FileOptions.DeleteOnClose | FileOptions.Asynchronous,
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows()) fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var file = new FileStream(Path.Combine(folder, $"petitions-upload-{Guid.NewGuid():N}"), fileOptions);
        var staged = new StagedFile(file, protector, protector.CurrentKeyId, RandomNumberGenerator.GetBytes(MaterialChunks.BindingBytes));
        try
        {
            await staged.WriteAsync(source, maxBytes, field, ct);
            staged.FileName = MaterialNames.Clean(sentName, staged.Type);
            return staged;
        }
        catch
        {
            await staged.DisposeAsync();
            throw;
        }
    }

    private async Task WriteAsync(Stream source, long maxBytes, string field, CancellationToken ct)
    {
        // Two plaintext buffers: a chunk is sealed once the next one shows whether it was the last.
        var current = new byte[MaterialChunks.PlainBytes];
        var next = new byte[MaterialChunks.PlainBytes];
        var sealedChunk = new byte[MaterialChunks.SealedBytes];
        using var hasher = _protector.ContentHasher();
        try
        {
            var currentLength = await source.ReadAtLeastAsync(current, current.Length, throwOnEndOfStream: false, ct);
            if (currentLength == 0) throw new MaterialRefusedException(MaterialRefusal.Empty, field, "The file is empty.");
            var family = MaterialTypes.Sniff(current.AsSpan(0, Math.Min(currentLength, MaterialTypes.HeadBytes)))
                ?? throw Unsupported(field);
            for (var ordinal = 0; ; ordinal++)
            {
                Size += currentLength;
                if (Size > maxBytes)
                    throw new MaterialRefusedException(MaterialRefusal.TooLarge, field, $"The file is larger than the limit of {maxBytes} bytes.");
                var nextLength = currentLength < current.Length ? 0 : await source.ReadAtLeastAsync(next, next.Length, throwOnEndOfStream: false, ct);
                var last = nextLength == 0;
                hasher.AppendData(current, 0, currentLength);
                _protector.SealChunk(current.AsSpan(0, currentLength), MaterialChunks.Context(SealBinding, ordinal, last), sealedChunk);
                await RandomAccess.WriteAsync(_file.SafeFileHandle, sealedChunk.AsMemory(0, currentLength + PersonalDataProtector.SealOverhead),
                    (long)ordinal * MaterialChunks.SealedBytes, ct);
                if (last) break;
                (current, next, currentLength) = (next, current, nextLength);
            }
            ContentHash = Convert.ToHexStringLower(hasher.GetHashAndReset());
            await using var content = OpenContent();
            Type = await MaterialTypes.DecideAsync(family, content, ct) ?? throw Unsupported(field);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(current);
            CryptographicOperations.ZeroMemory(next);
        }
    }

    private static MaterialRefusedException Unsupported(string field) => new(MaterialRefusal.UnsupportedType, field,
        $"The file's content is not one of the allowed types: {string.Join(", ", MaterialTypes.All.Select(t => t.Code))}.");
}

/// <summary>Stages uploads with the service's keys and limits.</summary>
public sealed class MaterialStaging(PersonalDataProtector protector, IOptions<MaterialOptions> options)
{
    public MaterialOptions Options => options.Value;

    /// <summary>Stages one uploaded file; <paramref name="field"/> names it in a refusal.</summary>
    public Task<StagedFile> StageAsync(Stream source, string? sentName, bool petitioner, string field, CancellationToken ct) =>
        StagedFile.StageAsync(source, sentName, petitioner ? options.Value.PublicMaxFileBytes : options.Value.MaxFileBytes, protector, options.Value, field, ct);
}
