using System.Collections.Frozen;
using System.Text;

namespace Petitions.Domain;

/// <summary>
/// The wire and storage codes of the domain's enumerations (DOMAIN.md uses kebab-case codes such as
/// <c>opinion-review</c>). One mapping, derived from the member names, so a code can never drift from its enum.
/// </summary>
public static class Codes
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum => Table<TEnum>.ToCode[value];

    public static bool TryParse<TEnum>(string? code, out TEnum value) where TEnum : struct, Enum =>
        Table<TEnum>.FromCode.TryGetValue(code ?? "", out value);

    public static TEnum Parse<TEnum>(string code) where TEnum : struct, Enum =>
        TryParse<TEnum>(code, out var value)
            ? value
            : throw new FormatException($"'{code}' is not a {typeof(TEnum).Name} code.");

    /// <summary>All codes of an enumeration, in declaration order, for messages and documentation.</summary>
    public static IReadOnlyList<string> All<TEnum>() where TEnum : struct, Enum => Table<TEnum>.Ordered;

    private static string KebabCase(string name)
    {
        var code = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && code.Length > 0) code.Append('-');
            code.Append(char.ToLowerInvariant(c));
        }
        return code.ToString();
    }

    private static class Table<TEnum> where TEnum : struct, Enum
    {
        public static readonly IReadOnlyList<string> Ordered = Enum.GetValues<TEnum>().Select(v => KebabCase(v.ToString())).ToArray();
        public static readonly FrozenDictionary<TEnum, string> ToCode = Enum.GetValues<TEnum>().ToFrozenDictionary(v => v, v => KebabCase(v.ToString()));
        public static readonly FrozenDictionary<string, TEnum> FromCode = ToCode.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }
}
