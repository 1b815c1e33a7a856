using System.Text;

namespace Petitions.Testing;

/// <summary>
/// Deterministic bytes of any length, made as they are read (a 50 MB upload without 50 MB in the test's memory):
/// a PDF header, then bytes from a seeded generator, with a marker at the start and near the end.
/// </summary>
public sealed class GeneratedPdf(long length, string marker, int seed = 7) : Stream
{
    private readonly byte[] _head = Encoding.UTF8.GetBytes($"%PDF-1.7\n% {marker}\n");
    private readonly byte[] _tail = Encoding.UTF8.GetBytes($"\n% {marker}\n%%EOF\n");
    private readonly Random _random = new(seed);
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = (int)Math.Min(buffer.Length, length - _position);
        var span = buffer[..count];
        _random.NextBytes(span);
        for (var i = 0; i < count; i++)
        {
            var at = _position + i;
            if (at < _head.Length) span[i] = _head[at];
            else if (at >= length - _tail.Length) span[i] = _tail[at - (length - _tail.Length)];
        }
        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>The SHA-256 of the bytes a fresh stream of the same length, marker and seed gives.</summary>
    public static byte[] Sha256(long length, string marker, int seed = 7)
    {
        using var stream = new GeneratedPdf(length, marker, seed);
        return System.Security.Cryptography.SHA256.HashData(stream);
    }
}
