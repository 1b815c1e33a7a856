namespace Petitions.Domain;

/// <summary>
/// How alike two statements of a matter are: the Dice coefficient of their character bigrams, which suits Chinese
/// text without word segmentation. Used to find the same person's earlier petitions on the same matter (同人同事).
/// </summary>
public static class MatterSimilarity
{
    /// <summary>From this score on, two subjects are taken to state the same matter.</summary>
    public const double SameMatter = 0.5;

    public static double Of(string a, string b)
    {
        var left = Bigrams(a);
        var right = Bigrams(b);
        if (left.Count == 0 || right.Count == 0) return string.Equals(Normalize(a), Normalize(b), StringComparison.Ordinal) ? 1 : 0;
        var shared = 0;
        var pool = right.ToList();
        foreach (var bigram in left)
        {
            var i = pool.IndexOf(bigram);
            if (i < 0) continue;
            shared++;
            pool.RemoveAt(i);
        }
        return 2.0 * shared / (left.Count + right.Count);
    }

    private static string Normalize(string text) => new(text.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    private static List<string> Bigrams(string text)
    {
        var normalized = Normalize(text);
        return Enumerable.Range(0, Math.Max(0, normalized.Length - 1)).Select(i => normalized.Substring(i, 2)).ToList();
    }
}
