using System.Security.Cryptography;
using System.Text;

namespace Petitions.Workflows.Privacy;

/// <summary>
/// The keys that protect personal data: an AES-256 key that encrypts ID numbers (and anything else that must not
/// rest in plain text), and an HMAC key for keyed hashes that match values without revealing them.
/// </summary>
public sealed record PersonalDataKeys(string KeyId, byte[] EncryptionKey, byte[] HashKey)
{
    /// <summary>Encryption keys retired by a rotation, by key id: still read, never written.</summary>
    public IReadOnlyDictionary<string, byte[]> PreviousKeys { get; init; } = new Dictionary<string, byte[]>();

    public static PersonalDataKeys Generate() =>
        new($"k{DateTime.UtcNow:yyyyMMdd}", RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));

    public void Check()
    {
        if (string.IsNullOrWhiteSpace(KeyId) || KeyId.Contains(':', StringComparison.Ordinal))
            throw new InvalidOperationException("PersonalData:KeyId must be set and must not contain ':'.");
        if (EncryptionKey.Length != 32 || HashKey.Length != 32 || PreviousKeys.Values.Any(k => k.Length != 32))
            throw new InvalidOperationException("PersonalData:EncryptionKey, PersonalData:HashKey and PersonalData:PreviousKeys must each be 32 bytes (base64).");
    }
}

/// <summary>What a keyed hash is for; the purpose is mixed in so a hash of one kind never matches another.</summary>
public enum HashPurpose { IdNumber, QueryCode, Request, Material }

/// <summary>
/// Encrypts with AES-256-GCM into <c>keyId:base64(nonce|tag|ciphertext)</c>, so a later key rotation knows which
/// key wrote each value, and computes HMAC-SHA256 keyed hashes for matching.
/// </summary>
public sealed class PersonalDataProtector
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly PersonalDataKeys _keys;

    public PersonalDataProtector(PersonalDataKeys keys)
    {
        keys.Check();
        _keys = keys;
    }

    public string Encrypt(string plaintext)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[NonceSize + TagSize + plain.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_keys.EncryptionKey, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize));
        return $"{_keys.KeyId}:{Convert.ToBase64String(sealedBytes)}";
    }

    /// <summary>The id of the key new values are encrypted with; every stored value starts with its key's id.</summary>
    public string CurrentKeyId => _keys.KeyId;

    public string Decrypt(string stored)
    {
        var separator = stored.IndexOf(':', StringComparison.Ordinal);
        var key = KeyOf(separator < 0 ? "" : stored[..separator]);
        var sealedBytes = Convert.FromBase64String(stored[(separator + 1)..]);
        var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), plain);
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>What sealing adds to a chunk: the nonce and the tag.</summary>
    public const int SealOverhead = NonceSize + TagSize;

    /// <summary>
    /// Seals a chunk of a material into <paramref name="sealedChunk"/> (nonce|tag|ciphertext, <see cref="SealOverhead"/>
    /// bytes longer) with the current key, whose id it returns. <paramref name="context"/> is authenticated, not stored: it
    /// ties the chunk to its material and place, so chunks cannot be swapped between materials or reordered.
    /// </summary>
    public string SealChunk(ReadOnlySpan<byte> plain, ReadOnlySpan<byte> context, Span<byte> sealedChunk)
    {
        var nonce = sealedChunk[..NonceSize];
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_keys.EncryptionKey, TagSize);
        aes.Encrypt(nonce, plain, sealedChunk.Slice(SealOverhead, plain.Length), sealedChunk.Slice(NonceSize, TagSize), context);
        return _keys.KeyId;
    }

    /// <summary>Opens a chunk sealed by <see cref="SealChunk"/> with the key it names; a changed chunk or context fails.</summary>
    public void OpenChunk(string keyId, ReadOnlySpan<byte> sealedChunk, ReadOnlySpan<byte> context, Span<byte> plain)
    {
        using var aes = new AesGcm(KeyOf(keyId), TagSize);
        aes.Decrypt(sealedChunk[..NonceSize], sealedChunk[SealOverhead..], sealedChunk.Slice(NonceSize, TagSize), plain[..(sealedChunk.Length - SealOverhead)], context);
    }

    /// <summary>A keyed hash of a material's content, fed chunk by chunk: <see cref="IncrementalHash.GetHashAndReset()"/>
    /// gives the 32 bytes, written as hex like <see cref="Hash"/>. Keyed, so a hash in the database does not confirm a
    /// guess at a known document.</summary>
    public IncrementalHash ContentHasher()
    {
        var hasher = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _keys.HashKey);
        hasher.AppendData(Encoding.UTF8.GetBytes($"{HashPurpose.Material}\n"));
        return hasher;
    }

    private byte[] KeyOf(string keyId) =>
        keyId == _keys.KeyId ? _keys.EncryptionKey
            : _keys.PreviousKeys.TryGetValue(keyId, out var previous) ? previous
            : throw new CryptographicException($"The value was encrypted with key '{keyId}', which this service does not hold.");

    /// <summary>A keyed hash (64 hex characters): equal inputs give equal hashes, but without the key a hash
    /// cannot be checked against guesses.</summary>
    public string Hash(HashPurpose purpose, string value)
    {
        var bytes = HMACSHA256.HashData(_keys.HashKey, Encoding.UTF8.GetBytes($"{purpose}\n{value}"));
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>Compares a candidate with a stored keyed hash in constant time.</summary>
    public bool Matches(HashPurpose purpose, string candidate, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Hash(purpose, candidate)), Encoding.ASCII.GetBytes(storedHash));
}
