using System.Text.RegularExpressions;
using FluentValidation;
using FluentValidation.Results;

namespace Petitions.Api.Http;

/// <summary>The <c>Idempotency-Key</c> header: 1–100 visible ASCII characters (a UUID is typical).</summary>
public static partial class IdempotencyKey
{
    [GeneratedRegex(@"^[\x21-\x7E]{1,100}$")]
    private static partial Regex Shape();

    public static string? Check(string? header) =>
        header is null || Shape().IsMatch(header)
            ? header
            : throw new ValidationException([new ValidationFailure("header:Idempotency-Key", "The Idempotency-Key header must be 1 to 100 visible ASCII characters.")]);
}
