using System.Security.Cryptography;

namespace Petitions.Domain;

/// <summary>
/// The petitioner's query code (查询码): 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L),
/// so it can be read aloud or copied from paper. 31^8 ≈ 8.5 × 10^11 possible codes.
/// </summary>
public static class QueryCode
{
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    public const int Length = 8;

    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>What a petitioner typed, in canonical form: upper case, spaces and dashes dropped.</summary>
    public static string Normalize(string? text) =>
        (text ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();
}
