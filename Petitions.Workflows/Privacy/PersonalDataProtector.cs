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
public enum HashPurpose { IdNumber, QueryCode, Request }

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
        var keyId = separator < 0 ? "" : stored[..separator];
        var key = keyId == _keys.KeyId ? _keys.EncryptionKey
            : _keys.PreviousKeys.TryGetValue(keyId, out var previous) ? previous
            : throw new CryptographicException($"The value was encrypted with key '{keyId}', which this service does not hold.");
        var sealedBytes = Convert.FromBase64String(stored[(separator + 1)..]);
        var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), plain);
        return Encoding.UTF8.GetString(plain);
    }

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
