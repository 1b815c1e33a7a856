using FluentValidation;
using Petitions.Domain;

namespace Petitions.Workflows;

/// <summary>Rules several validators share. Their failures carry a code of their own, which the pages translate.</summary>
public static class ValidationRules
{
    /// <summary>One of <paramref name="codes"/>; the message lists them, for API clients.</summary>
    public static IRuleBuilderOptions<T, string?> IsOneOf<T>(this IRuleBuilder<T, string?> rule, IReadOnlyList<string> codes, string field) =>
        rule.Must(c => c is not null && codes.Contains(c)).WithErrorCode("one-of").WithMessage($"'{field}' must be one of: {string.Join(", ", codes)}.");

    /// <summary>A mainland mobile or a landline with its area code, when one is given.</summary>
    public static IRuleBuilderOptions<T, string?> IsPhoneNumber<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(p => string.IsNullOrWhiteSpace(p) || PhoneNumber.TryNormalize(p, out _))
            .WithErrorCode("phone").WithMessage("Not a mainland mobile number or a landline with its area code.");

    /// <summary>The day a dated action happened, when one is given: not after today (Shanghai). A missing date is today.</summary>
    public static IRuleBuilderOptions<T, DateOnly?> NotInFuture<T>(this IRuleBuilder<T, DateOnly?> rule, TimeProvider time, string field) =>
        rule.Must(d => d is null || d <= ShanghaiTime.DateOf(time.GetUtcNow()))
            .WithErrorCode("date-in-future").WithMessage($"'{field}' cannot be in the future.");
}
