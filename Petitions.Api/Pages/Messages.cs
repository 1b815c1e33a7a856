using System.Globalization;
using FluentValidation;
using FluentValidation.Internal;
using FluentValidation.Results;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Petitions.Domain;
using Petitions.Workflows;

namespace Petitions.Api.Pages;

/// <summary>
/// What a refusal says on a page, in the page's language. The API speaks English to developers; a page translates by
/// the failure's code: the rules' codes and our validators' own codes from the table below, FluentValidation's
/// validators through its Chinese texts. The message sits beside its field, so the field is called "此项".
/// </summary>
public static class Messages
{
    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");

    public static string Of(IStringLocalizer<Words> words, ValidationFailure failure)
    {
        if (Text.English) return failure.ErrorMessage;
        if (failure is { ErrorCode: "id-number", CustomState: string problem }) return IdNumberProblem(words, problem);
        if (ByCode(words, failure.ErrorCode) is { } known) return known;
        // FluentValidation's Chinese for a missing value says "不能为Null", which is no word for a person filling a form.
        if (failure.ErrorCode == "NotNullValidator") return words["Messages.NotNull"];
        var template = ValidatorOptions.Global.LanguageManager.GetString(failure.ErrorCode, Chinese);
        if (string.IsNullOrEmpty(template)) return words["Messages.Generic"];
        var formatter = new MessageFormatter().AppendArgument("PropertyName", words["Messages.ThisField"].Value);
        foreach (var (name, value) in failure.FormattedMessagePlaceholderValues ?? [])
            if (name != "PropertyName") formatter.AppendArgument(name, value);
        return formatter.BuildMessage(template.Replace("'{PropertyName}' ", "{PropertyName}", StringComparison.Ordinal));
    }

    /// <summary>Each message beside its field: FluentValidation's property path, less <paramref name="prefix"/>, is the
    /// form's under "Input.".</summary>
    public static void Show(this ModelStateDictionary state, IStringLocalizer<Words> words, ValidationException invalid, string prefix = "")
    {
        foreach (var failure in invalid.Errors)
        {
            var path = failure.PropertyName.StartsWith(prefix, StringComparison.Ordinal) ? failure.PropertyName[prefix.Length..] : failure.PropertyName;
            state.AddModelError($"Input.{path}", Of(words, failure));
        }
    }

    public static string Of(IStringLocalizer<Words> words, Exception refused) => Text.English ? refused.Message : refused switch
    {
        RuleViolationException rule => ByCode(words, rule.Rule) ?? words["Messages.Generic"],
        ConcurrencyConflictException => words["Messages.ConcurrencyConflict"],
        ForbiddenException => words["Messages.Forbidden"],
        NotFoundException => words["Messages.NotFound"],
        _ => words["Messages.Generic"],
    };

    /// <summary>A name typed into a field that chooses one of our organizations (or, <paramref name="officer"/>, one of a
    /// unit's officers), which names none of those offered.</summary>
    public static string NoSuchChoice(IStringLocalizer<Words> words, string field, string typed, bool officer = false) =>
        words[officer ? "Messages.NoSuchOfficer" : "Messages.NoSuchUnit", field, typed];

    private static string IdNumberProblem(IStringLocalizer<Words> words, string problem) => words[problem switch
    {
        IdNumber.Problems.Length => "IdNumber.Length",
        IdNumber.Problems.Characters => "IdNumber.Characters",
        IdNumber.Problems.Region => "IdNumber.Region",
        IdNumber.Problems.BirthDate => "IdNumber.BirthDate",
        IdNumber.Problems.CheckDigit => "IdNumber.CheckDigit",
        _ => "IdNumber.Other",
    }];

    /// <summary>The words of a code a page can meet (<c>Rule.{code}</c>): the rules of the domain and the workflows, and
    /// our validators' codes; null for one without.</summary>
    public static string? ByCode(IStringLocalizer<Words> words, string code)
    {
        var found = code switch
        {
            "date-range" => words["Rule.date-range", Text.Date(ValidationRules.EarliestDate), Text.Date(ValidationRules.LatestDate)],
            "search-words" => words["Rule.search-words", Petitions.Workflows.Features.Petitions.ListPetitions.MaxWords],
            _ => words[$"Rule.{code}"],
        };
        return found.ResourceNotFound ? null : found.Value;
    }
}
