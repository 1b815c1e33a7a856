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
    public static IReadOnlyList<Field> Fields(ActionDefinition action) =>
        action.Payload.GetConstructors().Single().GetParameters().Select(p => Describe(action.Code, p)).ToList();

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
    public static IReadOnlyList<(string Code, string Label)> Options(Field field, IReadOnlyDictionary<string, IReadOnlyList<OrganizationOption>>? choices)
    {
        var organizations = choices?.GetValueOrDefault(field.Name) ?? [];
        var shared = organizations.GroupBy(o => o.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        var options = organizations.Select(o => (o.Code, shared.Contains(o.Name) ? Text.T($"{o.Name}（{o.Code}）", $"{o.Name} ({o.Code})") : o.Name));
        return field.Picks == OrganizationChoice.AccusedOrganization
            ? [.. options, (ConfirmAccusedUnit.None, Text.T("不涉及本局单位", "None of ours"))]
            : [.. options];
    }

    /// <summary>Whether the form of an action offered now can be filled in: every field that names an organization or an
    /// officer has something to choose (a unit whose only handler is already its officer has no one to assign).</summary>
    public static bool CanBeFilled(ActionDefinition action, IReadOnlyDictionary<string, IReadOnlyList<OrganizationOption>> choices) =>
        Fields(action).Where(f => f.Picks is not null).All(f => Options(f, choices).Count > 0);

    /// <summary>The code of the option whose name (or code) was typed, or null when none or several are meant.</summary>
    public static string? Resolve(IReadOnlyList<(string Code, string Label)> options, string typed)
    {
        var text = typed.Trim();
        var matches = options.Where(o => o.Label == text || string.Equals(o.Code, text, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count == 1 ? matches[0].Code : null;
    }

    private static Field Describe(string action, ParameterInfo parameter)
    {
        var name = JsonNamingPolicy.CamelCase.ConvertName(parameter.Name!);
        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        var choices = Choices(action, name);
        var picks = parameter.GetCustomAttribute<ChoosesAttribute>()?.Choice;
        var kind = picks is not null ? "organization" : choices.Count > 0 ? "choice" : type == typeof(int) ? "number" : type == typeof(DateOnly) ? "date"
            : name is "text" or "content" or "report" ? "text-long" : "text";
        return new Field(name, Label(action, name), kind, choices, Required: name is not ("comment" or "note"), picks);
    }

    public static string Label(string action, string field) => (action, field) switch
    {
        ("confirm-accused-unit", "unit") => Text.T("被检举控告单位", "Accused unit"),
        (_, var other) => Label(other),
    };

    private static string Label(string field) => field switch
    {
        "unit" => Text.T("承办单位", "Handling unit"),
        "officer" => Text.T("承办人", "Officer"),
        "comment" => Text.T("备注", "Comment"),
        "reason" => Text.T("理由", "Reason"),
        "whereToGo" => Text.T("告知信访人向何处反映", "Where the petitioner can turn"),
        "procedure" => Text.T("法定途径", "Legal procedure"),
        "organ" => Text.T("转送机关", "Forward to"),
        "bureau" => Text.T("下级机关", "Subordinate bureau"),
        "earlierCaseNumber" => Text.T("在先信访编号", "Earlier case number"),
        "note" => Text.T("办理情况", "Progress note"),
        "days" => Text.T("延长天数（不超过30天）", "Days to add (at most 30)"),
        "outcome" => Text.T("处理结论", "Outcome"),
        "text" => Text.T("意见正文", "Text of the opinion"),
        "servedOn" => Text.T("送达日期", "Served on"),
        "method" => Text.T("送达方式", "Method of service"),
        "satisfaction" => Text.T("满意度", "Satisfaction"),
        "acceptedOn" => Text.T("受理日期（默认今天）", "Accepted on (default today)"),
        "differentMatter" => Text.T("确属不同事项的理由（仅在被认定为重复信访时填写）", "Why it is a different matter (only to accept a refused repeat)"),
        "approvedOn" => Text.T("批准日期（默认今天）", "Approved on (default today)"),
        "receivedOn" => Text.T("收到申请日期（默认今天）", "Request received on (default today)"),
        "startedOn" => Text.T("听证开始日期（默认今天）", "Hearing opened on (default today)"),
        "endedOn" => Text.T("听证结束日期（默认今天）", "Hearing closed on (default today)"),
        "report" => Text.T("报告内容", "Report"),
        _ => field,
    };

    private static IReadOnlyList<(string, string)> Choices(string action, string field) => (action, field) switch
    {
        ("submit-opinion", "outcome") => Coded(Text.OpinionOutcome, "support", "explain", "reject"),
        ("submit-review-opinion", "outcome") => Coded(Text.ReviewOutcome, "uphold", "revise", "order-rehandling"),
        ("submit-rereview-opinion", "outcome") => Coded(Text.ReviewOutcome, "uphold", "revise"),
        (_, "procedure") => [("litigation", Text.T("诉讼", "Litigation")), ("reconsideration", Text.T("行政复议", "Reconsideration")), ("arbitration", Text.T("仲裁", "Arbitration")), ("police-procedure", Text.T("公安执法程序", "Police procedure"))],
        (_, "method") => [("in-person", Text.T("直接送达", "In person")), ("post", Text.T("邮寄送达", "By post")), ("electronic", Text.T("电子送达", "Electronically")), ("publication", Text.T("公告送达", "By publication"))],
        (_, "satisfaction") => Coded(Text.Satisfaction, "satisfied", "basically-satisfied", "dissatisfied", "no-opinion"),
        _ => [],
    };

    /// <summary>
    /// A timeline step's note in the page's language: the codes an action records (an outcome, a method of service, a
    /// satisfaction, a procedure, a clock, the days of an extension) in words; what people wrote stays as written.
    /// </summary>
    public static string? Note(string action, string? note)
    {
        if (string.IsNullOrEmpty(note)) return note;
        var colon = note.IndexOf(": ", StringComparison.Ordinal);
        var (head, rest) = colon < 0 ? (note, null) : (note[..colon], note[(colon + 2)..]);
        // The referring case records "← its case number: the outcome reported: the report".
        if (action == "referral-reported" && rest is not null) return $"{head}: {Note("report-back", rest)}";
        var words = action switch
        {
            "overdue" => Text.Clock(head),
            "evaluate" => Text.Satisfaction(head),
            "register" when head == "refer" => Text.T("上级机关交办", "Referred by the bureau above"),
            "confirm-accused-unit" when head == "—" => Text.T("不涉及本局单位", "None of ours"),
            "request-extension" or "approve-extension" when ExtensionDays().Match(head) is { Success: true } days =>
                Text.T($"延长{days.Groups[1].Value}天", $"{days.Groups[1].Value} more days"),
            "report-back" when head.Length > 0 => Text.OpinionOutcome(head) is var outcome && outcome != head ? outcome : Text.Triage(head),
            _ => RecordedChoice(action) is { } field ? Choices(action, field).FirstOrDefault(c => c.Item1 == head).Item2 : null,
        };
        return words is null ? note : rest is null ? words : words + Text.T("：", ": ") + rest;
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
    public static string Name(string action) => action switch
    {
        "accept" => Text.T("受理并交办", "Accept and assign"),
        "decline" => Text.T("不予受理", "Decline"),
        "divert" => Text.T("导入法定程序", "Divert to a legal procedure"),
        "forward" => Text.T("转送", "Forward"),
        "refer" => Text.T("交下级机关", "Refer down"),
        "mark-duplicate" => Text.T("重复信访", "Mark as duplicate"),
        "confirm-accused-unit" => Text.T("确认被检举控告单位", "Confirm the accused unit"),
        "record-progress" => Text.T("记录办理情况", "Record progress"),
        "request-extension" => Text.T("申请延期", "Request an extension"),
        "approve-extension" => Text.T("批准延期", "Approve the extension"),
        "reject-extension" => Text.T("不批准延期", "Reject the extension"),
        "reassign" => Text.T("改派", "Reassign"),
        "return-to-office" => Text.T("退回信访办", "Return to the office"),
        "assign-officer" => Text.T("指定承办人", "Assign an officer"),
        "submit-opinion" => Text.T("提交处理意见", "Submit the opinion"),
        "approve-opinion" => Text.T("审核通过", "Approve the opinion"),
        "return-opinion" => Text.T("退回修改", "Return the opinion"),
        "record-service" => Text.T("登记送达", "Record service"),
        "record-return-visit" => Text.T("登记回访", "Record the return visit"),
        "request-review" => Text.T("登记复查申请", "Record a review request"),
        "submit-review-opinion" => Text.T("出具复查意见", "Decide the review"),
        "request-rereview" => Text.T("登记复核申请", "Record a re-review request"),
        "start-hearing" => Text.T("开始听证", "Open a hearing"),
        "end-hearing" => Text.T("结束听证", "Close the hearing"),
        "submit-rereview-opinion" => Text.T("出具复核意见", "Decide the re-review"),
        "finalize" => Text.T("终结", "Make final"),
        "take-charge" => Text.T("领导包案", "Take personal charge"),
        "object-to-referral" => Text.T("对交办提出异议", "Object to the referral"),
        "report-back" => Text.T("报告办理结果", "Report the outcome back"),
        // Follow-ups: no form offers them, the process page names them.
        "referral-returned" => Text.T("交办被退回", "Referral objected to"),
        "referral-reported" => Text.T("交办结果已报告", "Referral reported back"),
        _ => action,
    };
}
