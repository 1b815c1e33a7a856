using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Petitions.Workflows.Features.Triage;
using Petitions.Workflows.Workflow;

namespace Petitions.Api.Pages.Cases;

/// <summary>
/// The form of a workflow action, generated from its payload type: one field per property, a choice where the
/// domain has codes, a number or a date where the type says so, and a choice by name where the field names one of our
/// organizations or officers (the list of what may be done now says which). The same table turns the posted form into the JSON
/// body the runtime validates, so the pages and the API share one definition of every action.
/// </summary>
public static partial class ActionForms
{
    public sealed record Field(string Name, string Label, string Kind, IReadOnlyList<(string Value, string Label)> Choices, bool Required, OrganizationChoice? Picks);

    /// <summary>The fields of an action, in the payload's order.</summary>
    public static IReadOnlyList<Field> Fields(IStringLocalizer<Words> words, ActionDefinition action) =>
        action.Payload.GetConstructors().Single().GetParameters().Select(p => Describe(words, action.Code, p)).ToList();

    /// <summary>The posted values as the action's JSON body: numbers as numbers, blanks left out, an organization by the
    /// code of the one chosen by name (<paramref name="organizations"/>: the options of each such field).</summary>
    public static JsonElement Body(ActionDefinition action, IFormCollection form, IReadOnlyDictionary<string, IReadOnlyList<(string Code, string Label)>> organizations)
    {
        var body = new JsonObject();
        foreach (var parameter in action.Payload.GetConstructors().Single().GetParameters())
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(parameter.Name!);
            var value = form[name].ToString();
            if (string.IsNullOrWhiteSpace(value)) continue;
            if (organizations.TryGetValue(name, out var options)) value = Resolve(options, value) ?? value;
            var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
            body[name] = type == typeof(int) && int.TryParse(value, out var number) ? JsonValue.Create(number) : JsonValue.Create(value.Trim());
        }
        return JsonSerializer.SerializeToElement(body);
    }

    /// <summary>What a field that names an organization offers: each by its name (with its code where two share a name),
    /// and for the accused of an accusation, "none of ours".</summary>
    public static IReadOnlyList<(string Code, string Label)> Options(IStringLocalizer<Words> words, Field field, IReadOnlyDictionary<string, IReadOnlyList<OrganizationOption>>? choices)
    {
        var organizations = choices?.GetValueOrDefault(field.Name) ?? [];
        var shared = organizations.GroupBy(o => o.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        var options = organizations.Select(o => (o.Code, shared.Contains(o.Name) ? words["Choice.NameWithCode", o.Name, o.Code] : o.Name));
        return field.Picks == OrganizationChoice.AccusedOrganization
            ? [.. options, (ConfirmAccusedUnit.None, words["Choice.NoneOfOurs"])]
            : [.. options];
    }

    /// <summary>Whether the form of an action offered now can be filled in: every field that names an organization or an
    /// officer has something to choose (a unit whose only handler is already its officer has no one to assign).</summary>
    public static bool CanBeFilled(IStringLocalizer<Words> words, ActionDefinition action, IReadOnlyDictionary<string, IReadOnlyList<OrganizationOption>> choices) =>
        Fields(words, action).Where(f => f.Picks is not null).All(f => Options(words, f, choices).Count > 0);

    /// <summary>The code of the option whose name (or code) was typed, or null when none or several are meant.</summary>
    public static string? Resolve(IReadOnlyList<(string Code, string Label)> options, string typed)
    {
        var text = typed.Trim();
        var matches = options.Where(o => o.Label == text || string.Equals(o.Code, text, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count == 1 ? matches[0].Code : null;
    }

    private static Field Describe(IStringLocalizer<Words> words, string action, ParameterInfo parameter)
    {
        var name = JsonNamingPolicy.CamelCase.ConvertName(parameter.Name!);
        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        var choices = Choices(words, action, name);
        var picks = parameter.GetCustomAttribute<ChoosesAttribute>()?.Choice;
        var kind = picks is not null ? "organization" : choices.Count > 0 ? "choice" : type == typeof(int) ? "number" : type == typeof(DateOnly) ? "date"
            : name is "text" or "content" or "report" ? "text-long" : "text";
        return new Field(name, Label(words, action, name), kind, choices, Required: name is not ("comment" or "note"), picks);
    }

    public static string Label(IStringLocalizer<Words> words, string action, string field) => (action, field) switch
    {
        ("confirm-accused-unit", "unit") => words["Common.AccusedUnit"],
        (_, var other) => Label(words, other),
    };

    private static string Label(IStringLocalizer<Words> words, string field) => words.Code("Field", field);

    private static IReadOnlyList<(string, string)> Choices(IStringLocalizer<Words> words, string action, string field) => (action, field) switch
    {
        ("submit-opinion", "outcome") => Coded(words.OpinionOutcome, "support", "explain", "reject"),
        ("submit-review-opinion", "outcome") => Coded(words.ReviewOutcome, "uphold", "revise", "order-rehandling"),
        ("submit-rereview-opinion", "outcome") => Coded(words.ReviewOutcome, "uphold", "revise"),
        (_, "procedure") => Coded(c => words.Code("Procedure", c), "litigation", "reconsideration", "arbitration", "police-procedure"),
        (_, "method") => Coded(c => words.Code("ServiceMethod", c), "in-person", "post", "electronic", "publication"),
        (_, "satisfaction") => Coded(words.Satisfaction, "satisfied", "basically-satisfied", "dissatisfied", "no-opinion"),
        _ => [],
    };

    /// <summary>
    /// A timeline step's note in the page's language: the codes an action records (an outcome, a method of service, a
    /// satisfaction, a procedure, a clock, the days of an extension) in words; what people wrote stays as written.
    /// </summary>
    public static string? Note(IStringLocalizer<Words> words, string action, string? note)
    {
        if (string.IsNullOrEmpty(note)) return note;
        var colon = note.IndexOf(": ", StringComparison.Ordinal);
        var (head, rest) = colon < 0 ? (note, null) : (note[..colon], note[(colon + 2)..]);
        // The referring case records "← its case number: the outcome reported: the report".
        if (action == "referral-reported" && rest is not null) return $"{head}: {Note(words, "report-back", rest)}";
        var said = action switch
        {
            "overdue" => words.Clock(head),
            "evaluate" => words.Satisfaction(head),
            "register" when head == "refer" => words["Note.ReferredByBureauAbove"],
            "confirm-accused-unit" when head == "—" => words["Choice.NoneOfOurs"],
            "request-extension" or "approve-extension" when ExtensionDays().Match(head) is { Success: true } days =>
                words["Note.MoreDays", days.Groups[1].Value],
            "report-back" when head.Length > 0 => words.OpinionOutcome(head) is var outcome && outcome != head ? outcome : words.Triage(head),
            _ => RecordedChoice(action) is { } field ? Choices(words, action, field).FirstOrDefault(c => c.Item1 == head).Item2 : null,
        };
        return said is null ? note : rest is null ? said : words["Common.Labelled", said, rest];
    }

    /// <summary>The field whose code an action records at the head of its note.</summary>
    private static string? RecordedChoice(string action) => action switch
    {
        "submit-opinion" or "submit-review-opinion" or "submit-rereview-opinion" => "outcome",
        "divert" => "procedure",
        "record-service" => "method",
        "record-return-visit" => "satisfaction",
        _ => null,
    };

    /// <summary>How an extension's days are recorded: "+30 d".</summary>
    [GeneratedRegex(@"^\+(\d+) d$")]
    private static partial Regex ExtensionDays();

    private static IReadOnlyList<(string, string)> Coded(Func<string, string> label, params string[] codes) => codes.Select(c => (c, label(c))).ToList();

    /// <summary>An action's name on its button.</summary>
    public static string Name(IStringLocalizer<Words> words, string action) => words.Code("Action", action);
}
