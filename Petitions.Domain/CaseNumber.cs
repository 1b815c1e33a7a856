using System.Globalization;
using System.Text.RegularExpressions;

namespace Petitions.Domain;

/// <summary>
/// A case number: <c>XF-&lt;bureau code&gt;-&lt;year&gt;-&lt;sequence&gt;</c>, unique per bureau and year, readable
/// over the phone and sortable as text within a bureau and year.
/// </summary>
public static partial class CaseNumber
{
    [GeneratedRegex(@"^XF-[0-9A-Z]{2,12}-[0-9]{4}-[0-9]{6,}$")]
    private static partial Regex Shape();

    public static string Format(string bureauCode, int year, long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"XF-{bureauCode}-{year:D4}-{sequence:D6}");

    public static bool IsWellFormed(string? text) => text is not null && Shape().IsMatch(text);
}
