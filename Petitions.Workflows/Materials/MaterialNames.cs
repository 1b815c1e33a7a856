using System.Globalization;
using System.Text;

namespace Petitions.Workflows.Materials;

/// <summary>
/// The name a material is listed and downloaded under, from the name a client sent: no folders, no control or
/// formatting characters (a right-to-left override can make "gpj.exe" read as "exe.jpg"), none of the characters
/// Windows refuses, at most <see cref="MaxLength"/> characters, and ending in an extension of the type its content
/// showed, so a file is always opened by the program its content is for.
/// </summary>
public static class MaterialNames
{
    public const int MaxLength = 100;

    private static readonly string[] DeviceNames = ["CON", "PRN", "AUX", "NUL", .. Enumerable.Range(1, 9).SelectMany(i => new[] { $"COM{i}", $"LPT{i}" })];

    public static string Clean(string? sent, MaterialType type)
    {
        var name = sent ?? "";
        name = name[(name.LastIndexOfAny(['/', '\\']) + 1)..];
        var clean = new StringBuilder(name.Length);
        foreach (var rune in name.EnumerateRunes())
        {
            switch (Rune.GetUnicodeCategory(rune))
            {
                case UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                    or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned:
                    continue;
                case UnicodeCategory.SpaceSeparator:
                    if (clean.Length > 0 && clean[^1] != ' ') clean.Append(' ');
                    continue;
            }
            if (rune.Value is '<' or '>' or ':' or '"' or '|' or '?' or '*') clean.Append('_');
            else clean.Append(rune.ToString());
        }
        var cleaned = clean.ToString().Trim(' ', '.');

        var extension = Path.GetExtension(cleaned).ToLowerInvariant();
        var stem = type.Extensions.Contains(extension) ? cleaned[..^extension.Length].TrimEnd(' ', '.') : cleaned;
        if (!type.Extensions.Contains(extension)) extension = type.Extension;
        if (stem.Length == 0) stem = "material";
        if (DeviceNames.Contains(stem.Split('.')[0], StringComparer.OrdinalIgnoreCase)) stem = "_" + stem;
        return Shorten(stem, MaxLength - extension.Length) + extension;
    }

    /// <summary>At most <paramref name="length"/> characters, never cutting a character or an emoji in two.</summary>
    private static string Shorten(string text, int length)
    {
        if (text.Length <= length) return text;
        var end = 0;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext() && elements.ElementIndex + elements.GetTextElement().Length <= length)
            end = elements.ElementIndex + elements.GetTextElement().Length;
        return text[..end].TrimEnd(' ', '.');
    }
}
