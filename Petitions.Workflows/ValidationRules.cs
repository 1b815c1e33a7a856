using FluentValidation;
using Petitions.Domain;

namespace Petitions.Workflows;

/// <summary>Rules several validators share. Their failures carry a code of their own, which the pages translate.</summary>
public static class ValidationRules
{
    /// <summary>One of <paramref name="codes"/>; the message lists them, for API clients.</summary>
    public static IRuleBuilderOptions<T, string?> IsOneOf<T>(this IRuleBuilder<T, string?> rule, IReadOnlyList<string> codes, string field) =>
        rule.SetValidator(new OneOfValidator<T>(codes)).WithErrorCode("one-of").WithMessage($"'{field}' must be one of: {string.Join(", ", codes)}.");

    /// <summary>A mainland mobile or a landline with its area code, when one is given.</summary>
    public static IRuleBuilderOptions<T, string?> IsPhoneNumber<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(p => string.IsNullOrWhiteSpace(p) || PhoneNumber.TryNormalize(p, out _))
            .WithErrorCode("phone").WithMessage("Not a mainland mobile number or a landline with its area code.");
}

/// <summary>A code field's allowed codes, readable from the validator so the API document lists them as an enum.</summary>
public interface IOneOfValidator
{
    IReadOnlyList<string> Codes { get; }
}

/// <summary>The value is one of the codes (null is not).</summary>
public sealed class OneOfValidator<T>(IReadOnlyList<string> codes) : FluentValidation.Validators.PropertyValidator<T, string?>, IOneOfValidator
{
    public IReadOnlyList<string> Codes => codes;

    public override string Name => "OneOfValidator";

    public override bool IsValid(ValidationContext<T> context, string? value) => value is not null && codes.Contains(value);
}
