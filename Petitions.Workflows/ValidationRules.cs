using System.Globalization;
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

    /// <summary>The day a dated action happened, when one is given: not after today (Shanghai). A missing date is today.</summary>
    public static IRuleBuilderOptions<T, DateOnly?> NotInFuture<T>(this IRuleBuilder<T, DateOnly?> rule, TimeProvider time, string field) =>
        rule.Must(d => d is null || d <= ShanghaiTime.DateOf(time.GetUtcNow()))
            .WithErrorCode("date-in-future").WithMessage($"'{field}' cannot be in the future.");

    /// <summary>The dates a filter may name: every date the service stores lies between them, and the instants their
    /// days begin and end (UTC+8, <see cref="ShanghaiTime"/>) exist, which they do not at 0001-01-01 or 9999-12-31.</summary>
    public static readonly DateOnly EarliestDate = new(1900, 1, 1);

    public static readonly DateOnly LatestDate = new(2999, 12, 31);

    /// <summary>A date within <see cref="EarliestDate"/> and <see cref="LatestDate"/>, when one is given: the rule of
    /// every date filter.</summary>
    public static IRuleBuilderOptions<T, DateOnly?> IsWithinDateRange<T>(this IRuleBuilder<T, DateOnly?> rule) =>
        rule.Must(d => d is not { } date || IsWithinDateRange(date)).WithErrorCode("date-range").WithMessage(DateRangeMessage);

    /// <summary>The same for a date written yyyy-MM-dd (text that is no such date is another rule's to refuse).</summary>
    public static IRuleBuilderOptions<T, string?> IsWithinDateRange<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(text => !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) || IsWithinDateRange(date))
            .WithErrorCode("date-range").WithMessage(DateRangeMessage);

    private static bool IsWithinDateRange(DateOnly date) => date >= EarliestDate && date <= LatestDate;

    private static readonly string DateRangeMessage = $"A date from {EarliestDate:yyyy-MM-dd} to {LatestDate:yyyy-MM-dd}.";

    /// <summary>A mainland resident ID number (GB 11643), when one is given; the failure carries the problem (one of
    /// <see cref="IdNumber.Problems"/>) for the pages' words.</summary>
    public static IRuleBuilderOptionsConditions<T, string?> IsIdNumber<T>(this IRuleBuilder<T, string?> rule, Func<DateOnly> today) =>
        rule.Custom((value, context) =>
        {
            if (!string.IsNullOrWhiteSpace(value) && !IdNumber.TryParse(value, today(), out _, out var error))
                context.AddFailure(new FluentValidation.Results.ValidationFailure(context.PropertyPath, $"The ID number {error}.")
                {
                    ErrorCode = "id-number",
                    CustomState = error,
                });
        });
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
