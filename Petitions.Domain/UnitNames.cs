using System.Text;

namespace Petitions.Domain;

/// <summary>
/// Whether words a petitioner wrote for an accused unit may mean one of our organizations. Petitioners write the same
/// station many ways ("示范县公安局城关派出所", "城关 派出所", "城关所"); a miss would let an accusation reach the unit it
/// accuses, a false alarm only asks the office to confirm. So the comparison is generous: spacing, width, the bureau
/// prefix and the common short forms are ignored, and containing the other's core name is enough.
/// </summary>
public static class UnitNames
{
    /// <summary>Short forms used for whole names, longest first.</summary>
    private static readonly (string Short, string Full)[] Expansions =
    [
        ("刑侦", "刑事侦查"),
        ("经侦", "经济犯罪侦查"),
        ("交警", "交通警察"),
        ("网警", "网络安全保卫"),
        ("网安", "网络安全保卫"),
    ];

    /// <summary>Kinds of unit a name ends with; the part before it is the unit's own name.</summary>
    private static readonly string[] Suffixes = ["派出所", "警务站", "警务室", "分局", "大队", "中队", "支队", "所", "队", "科", "室"];

    /// <summary>Prefixes up to which a name states where the unit sits ("…公安局城关派出所").</summary>
    private static readonly string[] Seats = ["公安分局", "公安局", "公安厅", "公安处"];

    public static bool Resembles(string written, string name, string code)
    {
        var text = Normalize(written);
        if (text.Length == 0) return false;
        if (text.Equals(Normalize(code), StringComparison.Ordinal)) return true;
        var a = Core(text);
        var b = Core(Normalize(name));
        if (a.Length == 0 || b.Length == 0) return false;
        if (a == b) return true;
        if (Math.Min(a.Length, b.Length) >= 2 && (a.Contains(b, StringComparison.Ordinal) || b.Contains(a, StringComparison.Ordinal))) return true;
        return MatterSimilarity.Of(a, b) >= 0.6;
    }

    /// <summary>Whether the words are the organization's name or code, but for spacing and width.</summary>
    public static bool IsExactly(string written, string name, string code)
    {
        var text = Normalize(written);
        return text.Length > 0 && (text == Normalize(name) || text == Normalize(code));
    }

    /// <summary>Full-width forms folded (NFKC), spaces and punctuation dropped, letters lower-cased.</summary>
    public static string Normalize(string text)
    {
        var folded = text.Normalize(NormalizationForm.FormKC);
        var kept = new StringBuilder(folded.Length);
        foreach (var c in folded)
            if (char.IsLetterOrDigit(c)) kept.Append(char.ToLowerInvariant(c));
        return kept.ToString();
    }

    /// <summary>The unit's own name: what follows its seat, with short forms written out and its kind taken off.</summary>
    private static string Core(string normalized)
    {
        var core = normalized;
        foreach (var seat in Seats)
        {
            var at = core.LastIndexOf(seat, StringComparison.Ordinal);
            if (at >= 0 && at + seat.Length < core.Length) core = core[(at + seat.Length)..];
        }
        foreach (var (abbreviation, full) in Expansions)
            if (!core.Contains(full, StringComparison.Ordinal)) core = core.Replace(abbreviation, full, StringComparison.Ordinal);
        foreach (var suffix in Suffixes)
            if (core.Length > suffix.Length && core.EndsWith(suffix, StringComparison.Ordinal)) return core[..^suffix.Length];
        return core;
    }
}
