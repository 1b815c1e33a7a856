using System.Text.RegularExpressions;

namespace Petitions.Domain;

/// <summary>A mainland mobile number (11 digits starting 13–19) or a landline with its area code, in ASCII digits: a
/// number is stored and dialled as written, so full-width (１３８…) and other scripts' digits (١٣٨…) are refused.</summary>
public static partial class PhoneNumber
{
    [GeneratedRegex(@"^1[3-9][0-9]{9}$")]
    private static partial Regex Mobile();

    [GeneratedRegex(@"^0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?$")]
    private static partial Regex Landline();

    /// <summary>Normalizes (spaces and a +86 prefix dropped) and checks a phone number.</summary>
    public static bool TryNormalize(string? text, out string normalized)
    {
        normalized = (text ?? "").Replace(" ", "", StringComparison.Ordinal).Trim();
        if (normalized.StartsWith("+86", StringComparison.Ordinal)) normalized = normalized[3..].TrimStart('-');
        return Mobile().IsMatch(normalized) || Landline().IsMatch(normalized);
    }

    /// <summary>Masked for lists: the first three and last four digits stay.</summary>
    public static string Mask(string phone) =>
        phone.Length > 7 ? string.Concat(phone.AsSpan(0, 3), new string('*', phone.Length - 7), phone.AsSpan(phone.Length - 4)) : new string('*', phone.Length);
}
