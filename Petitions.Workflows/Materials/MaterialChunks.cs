using System.Buffers.Binary;
using System.Security.Cryptography;
using Petitions.Workflows.Privacy;

namespace Petitions.Workflows.Materials;

/// <summary>
/// How a material's content rests: in chunks of <see cref="PlainBytes"/> (the last one shorter), each sealed on its own
/// with AES-GCM under the key current when it was written, and bound to its material's content id, its place and
/// whether it is the last, so that chunks can be neither swapped, reordered nor cut off without failing to open.
/// </summary>
public static class MaterialChunks
{
    /// <summary>Large enough that a 50 MB file is 200 rows, small enough that a request holds two or three at a time.</summary>
    public const int PlainBytes = 256 * 1024;

    public const int SealedBytes = PlainBytes + PersonalDataProtector.SealOverhead;

    public const int BindingBytes = 16;

    public static int Count(long size) => (int)((size + PlainBytes - 1) / PlainBytes);

    /// <summary>What sealing a chunk authenticates besides its bytes.</summary>
    public static byte[] Context(ReadOnlySpan<byte> binding, int ordinal, bool last)
    {
        var context = new byte[BindingBytes + 5];
        binding.CopyTo(context);
        BinaryPrimitives.WriteInt32BigEndian(context.AsSpan(BindingBytes), ordinal);
        context[^1] = last ? (byte)1 : (byte)0;
        return context;
    }
}

/// <summary>Where a material's sealed chunks come from: the upload's staging file, or the database.</summary>
internal interface IChunkSource
{
    /// <summary>Reads chunk <paramref name="ordinal"/> into <paramref name="buffer"/>; returns the id of the key that sealed
    /// it and its sealed length.</summary>
    ValueTask<(string KeyId, int Length)> ReadSealedAsync(int ordinal, byte[] buffer, CancellationToken ct);
}

/// <summary>
/// A material's plaintext, opened chunk by chunk as it is read: a download never holds more than one chunk, and the type
/// checks can seek. Read from start to end, it also checks the content against its keyed hash and fails at the end if
/// they differ, so a damaged material never reads as complete.
/// </summary>
internal sealed class ContentStream(IChunkSource source, PersonalDataProtector protector, long length, byte[] binding, string? expectedHash) : Stream
{
    private readonly int _chunks = MaterialChunks.Count(length);
    private readonly byte[] _sealed = new byte[MaterialChunks.SealedBytes];
    private readonly byte[] _plain = new byte[MaterialChunks.PlainBytes];
    private readonly IncrementalHash? _hasher = expectedHash is null ? null : protector.ContentHasher();
    private int _loaded = -1;
    private int _hashed;
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= length || buffer.Length == 0) return 0;
        var chunk = (int)(_position / MaterialChunks.PlainBytes);
        if (chunk != _loaded) await LoadAsync(chunk, cancellationToken);
        var offset = (int)(_position % MaterialChunks.PlainBytes);
        var count = (int)Math.Min(buffer.Length, Math.Min(MaterialChunks.PlainBytes - offset, length - _position));
        _plain.AsMemory(offset, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private async Task LoadAsync(int chunk, CancellationToken ct)
    {
        var last = chunk == _chunks - 1;
        var plainLength = last ? (int)(length - (long)chunk * MaterialChunks.PlainBytes) : MaterialChunks.PlainBytes;
        var (keyId, sealedLength) = await source.ReadSealedAsync(chunk, _sealed, ct);
        if (sealedLength != plainLength + PersonalDataProtector.SealOverhead)
            throw new CryptographicException($"Chunk {chunk} of the material has {sealedLength} sealed bytes, not {plainLength + PersonalDataProtector.SealOverhead}.");
        protector.OpenChunk(keyId, _sealed.AsSpan(0, sealedLength), MaterialChunks.Context(binding, chunk, last), _plain);
        _loaded = chunk;
        if (_hasher is null || chunk != _hashed) return;
        _hasher.AppendData(_plain, 0, plainLength);
        if (++_hashed == _chunks && Convert.ToHexStringLower(_hasher.GetHashAndReset()) != expectedHash)
            throw new CryptographicException("The material's content does not match its hash.");
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => length + offset,
    };

    // Reads reach the database or a file: they are asynchronous only.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read the content asynchronously.");
    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CryptographicOperations.ZeroMemory(_plain);
            _hasher?.Dispose();
        }
        base.Dispose(disposing);
    }
}
