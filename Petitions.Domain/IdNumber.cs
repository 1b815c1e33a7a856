namespace Petitions.Domain;

/// <summary>
/// A mainland resident ID number (GB 11643): 17 digits (6 region, 8 birth date, 3 sequence) and a check
/// character computed with ISO 7064 MOD 11-2. Sensitive personal data: never logged, never stored in plain text.
/// </summary>
public sealed record IdNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    private IdNumber(string value, DateOnly birthDate) => (Value, BirthDate) = (value, birthDate);

    public string Value { get; }
    public DateOnly BirthDate { get; }

    /// <summary>What can be wrong with an ID number, as the end of "The ID number …".</summary>
    public static class Problems
    {
        public const string Length = "must be 18 characters long";
        public const string Characters = "must be 17 digits followed by a digit or X";
        public const string Region = "has an invalid region code";
        public const string BirthDate = "has an invalid birth date";
        public const string CheckDigit = "has a wrong check digit";
    }

    /// <summary>Parses and checks an ID number; <paramref name="today"/> bounds the embedded birth date.</summary>
    public static bool TryParse(string? text, DateOnly today, out IdNumber? idNumber, out string error)
    {
        idNumber = null;
        var value = (text ?? "").Trim().ToUpperInvariant();
        if (value.Length != 18)
        {
            error = Problems.Length;
            return false;
        }
        if (!value.AsSpan(0, 17).ContainsOnlyDigits() || !(char.IsAsciiDigit(value[17]) || value[17] == 'X'))
        {
            error = Problems.Characters;
            return false;
        }
        if (value[0] == '0')
        {
            error = Problems.Region;
            return false;
        }
        if (!DateOnly.TryParseExact(value.AsSpan(6, 8), "yyyyMMdd", out var birthDate)
            || birthDate.Year < 1900 || birthDate > today)
        {
            error = Problems.BirthDate;
            return false;
        }
        if (value[17] != CheckCharacter(value))
        {
            error = Problems.CheckDigit;
            return false;
        }
        idNumber = new IdNumber(value, birthDate);
        error = "";
        return true;
    }

    /// <summary>Masked for views that do not need the whole number: region and last four stay.</summary>
    public static string Mask(string value) =>
        value.Length == 18 ? string.Concat(value.AsSpan(0, 6), new string('*', 8), value.AsSpan(14)) : new string('*', value.Length);

    /// <summary>The ISO 7064 MOD 11-2 check character of the first 17 characters.</summary>
    public static char CheckCharacter(string first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (first17[i] - '0') * Weights[i];
        return CheckCharacters[sum % 11];
    }

    // Never let the number slip into a log through string interpolation.
    public override string ToString() => Mask(Value);
}

internal static class SpanExtensions
{
    public static bool ContainsOnlyDigits(this ReadOnlySpan<char> span) => !span.ContainsAnyExceptInRange('0', '9');
}
