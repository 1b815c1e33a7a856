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
    public const string Generic = "填写的内容不符合要求，请核对。";
    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");

    public static string Of(ValidationFailure failure)
    {
        if (Text.English) return failure.ErrorMessage;
        if (failure is { ErrorCode: "id-number", CustomState: string problem }) return IdNumberProblem(problem);
        if (ByCode(failure.ErrorCode) is { } known) return known;
        // FluentValidation's Chinese for a missing value says "不能为Null", which is no word for a person filling a form.
        if (failure.ErrorCode == "NotNullValidator") return "此项不能为空。";
        var template = ValidatorOptions.Global.LanguageManager.GetString(failure.ErrorCode, Chinese);
        if (string.IsNullOrEmpty(template)) return Generic;
        var formatter = new MessageFormatter().AppendArgument("PropertyName", "此项");
        foreach (var (name, value) in failure.FormattedMessagePlaceholderValues ?? [])
            if (name != "PropertyName") formatter.AppendArgument(name, value);
        return formatter.BuildMessage(template.Replace("'{PropertyName}' ", "{PropertyName}", StringComparison.Ordinal));
    }

    /// <summary>Each message beside its field: FluentValidation's property path, less <paramref name="prefix"/>, is the
    /// form's under "Input.".</summary>
    public static void Show(this ModelStateDictionary state, ValidationException invalid, string prefix = "")
    {
        foreach (var failure in invalid.Errors)
        {
            var path = failure.PropertyName.StartsWith(prefix, StringComparison.Ordinal) ? failure.PropertyName[prefix.Length..] : failure.PropertyName;
            state.AddModelError($"Input.{path}", Of(failure));
        }
    }

    public static string Of(Exception refused) => Text.English ? refused.Message : refused switch
    {
        RuleViolationException rule => ByCode(rule.Rule) ?? Generic,
        ConcurrencyConflictException => "此件刚被他人修改，请刷新页面后重试。",
        ForbiddenException => "您没有办理此项操作的权限。",
        NotFoundException => "在您的权限范围内找不到该信访件。",
        _ => Generic,
    };

    /// <summary>A name typed into a field that chooses one of our organizations (or, <paramref name="officer"/>, one of a
    /// unit's officers), which names none of those offered.</summary>
    public static string NoSuchChoice(string field, string typed, bool officer = false) =>
        Text.T($"{field}：可选的{(officer ? "人员" : "单位")}中没有“{typed}”，请从列表中选择。", $"{field}: “{typed}” is none of the choices; choose one from the list.");

    private static string IdNumberProblem(string problem) => "身份证号码" + problem switch
    {
        IdNumber.Problems.Length => "应为18位。",
        IdNumber.Problems.Characters => "应为17位数字加1位数字或X。",
        IdNumber.Problems.Region => "的地区码不正确。",
        IdNumber.Problems.BirthDate => "中的出生日期不正确。",
        IdNumber.Problems.CheckDigit => "的校验位不正确，请核对。",
        _ => "不正确，请核对。",
    };

    /// <summary>Every code a page can meet: the rules of the domain and the workflows, and our validators' codes.</summary>
    public static string? ByCode(string code) => code switch
    {
        "one-of" => "请从列表中选择。",
        "case-number" => "请填写正确的信访编号，例如 XF-330799-2026-000001。",
        "phone-or-address" => "请至少填写电话或地址，以便送达答复。",
        "received-too-early" => "收到时间不能早于一年前。",
        "representatives-limit" => "集体访最多推选5名代表，且代表人数不能多于信访人数。",
        "people-count" => "信访人数至少为1人。",
        "received-in-future" => "收到时间不能晚于现在。",
        "empty-matter" => "请填写信访事由和内容。",
        "wrong-stage" => "此件当前所处阶段不能进行此项操作。",
        "clock-running" => "该期限已在计时，不能重复开始（例如已有未回复的督办单）。",
        "no-clock" => "此件没有正在计时的相应期限。",
        "unit-outside-bureau" => "所填单位不是本机关的承办单位。",
        "accused-unit" => "检举控告件不能交由被检举控告的单位办理。",
        "same-unit" => "该单位已在办理此件。",
        "officer-not-in-handling" => "只有在承办单位办理期间才能指定承办人。",
        "officer-disabled" => "该用户已停用，不能担任承办人。",
        "officer-not-in-unit" => "该用户不是本件承办单位的人员。",
        "officer-not-handler" => "该用户没有承办人员角色。",
        "same-officer" => "该承办人已在办理此件。",
        "extension-used" => "办理期限已延长过一次，不能再次延长。",
        "extension-pending" => "已有延期申请等待领导审批。",
        "extension-days" => "延长天数为1至30天。",
        "no-extension-request" => "没有待审批的延期申请。",
        "empty-opinion" => "处理意见须写明理由。",
        "already-in-charge" => "您已包案此件。",
        "already-evaluated" => "已经评价过本次答复，不能重复评价。",
        "served-in-future" => "送达日期不能晚于今天。",
        "served-before-issued" => "送达日期不能早于文书（处理意见、复查或复核意见）批准出具之日。",
        "no-review-window" => "处理意见送达后才能申请复查、复核或终结。",
        "review-window-closed" => "申请期限（送达之日起30日）已过。",
        "review-window-open" => "信访人仍在申请复查或复核的期限内。",
        "already-warned" => "已发出过该预警。",
        "clock-stopped" => "该期限已结束。",
        "clock-not-running" => "该期限未在计时。",
        "clock-not-paused" => "该期限未暂停。",
        "no-higher-level" => "没有上一级机关可以复查或复核。",
        "not-subordinate-bureau" => "所填机关不是本机关的直属下级机关。",
        "duplicate-of-itself" => "信访件不能与自身重复。",
        "unknown-earlier-petition" => "在您的权限范围内找不到该在先信访件。",
        "id-number" => "身份证号码不正确，请核对。",
        "phone" => "电话号码不正确：请用半角数字填写手机号码或带区号的固定电话。",
        "date-range" => $"日期应在{ValidationRules.EarliestDate.ToString("yyyy年M月d日", Chinese)}至{ValidationRules.LatestDate.ToString("yyyy年M月d日", Chinese)}之间。",
        "not-served" => "处理意见送达后才能评价办理结果或登记回访。",
        "organization-tree" => "机构层级不正确。",
        "code-taken" => "该代码已被使用。",
        "user-name-taken" => "该用户名已被使用。",
        "no-opinion" => "没有待审核的处理意见。",
        "final" => "已终结的信访件不再督办。",
        "contact-card-bureau" => "是否公开联系卡由信访机关决定，承办单位只能设置电话。",
        "order-not-open" => "该督办单已回复或已办结。",
        "order-closed" => "该督办单已办结。",
        "date-in-future" => "日期不能晚于今天。",
        "date-before-previous-step" => "日期不能早于上一环节的日期（例如受理不能早于收到信访事项，批准延期不能早于申请延期）。",
        "repeat-in-handling" => "同一信访人就同一事项的在先信访件仍在办理中，不再重复受理（《信访工作条例》第十九条），可作重复信访（不再受理）处理；确属不同事项的，请填写理由后受理。",
        "repeat-after-final" => "同一信访人的同一事项已经终结，以同一事实和理由提出的不再受理（《信访工作条例》第三十六条），可作重复信访（不再受理）处理；确属不同事项的，请填写理由后受理。",
        "not-referred" => "此件不是上级机关交办的信访事项。",
        "objection-window-closed" => "已超过提出异议的期限（收到交办事项之日起5个工作日），或本机关已对此件作出处理。",
        "referral-answered" => "已就该交办事项提出异议或报告办理结果。",
        "already-visited" => "本次答复的回访已经登记。",
        "reception-day-visit" => "局长接待日接待的信访事项，信访形式应为来访。",
        "not-a-leader" => "接待领导须为本机关或上级机关的领导。",
        "accused-bureau" => "检举控告本机关或上级机关的信访件，应由上一级机关登记办理。",
        "accused-unit-unconfirmed" => "信访人所述被控告单位与本局单位相似，请先确认被控告单位或说明不涉及本局单位。",
        "not-an-accusation" => "只有检举控告类信访件需要确认被控告单位。",
        "accused-outside-bureau" => "所选单位不在本机关之下；检举控告本机关或其他机关的，应转送上一级机关。",
        "role-level" => "角色与机构层级不符：承办单位的用户只能是承办人，机关的用户不能是承办人。",
        "own-account" => "管理员不能停用或启用自己的账户。",
        "own-roles" => "管理员不能修改自己的角色，请由上级管理员修改。",
        "own-password" => "管理员不能在此重置自己的密码，请用当前密码修改。",
        "material-empty" => "文件是空的。",
        "material-too-large" => "文件超过了大小上限。",
        "material-type" => "文件类型不在允许范围内（按文件内容判断）：请上传PDF、JPEG、PNG、TIFF、HEIC图片，Word、Excel、OFD文档或MP3、AMR、M4A、WAV录音。",
        "material-count" => "一次上传的文件数量超过了上限。",
        "multipart" => "上传的内容不完整，请重新选择文件后再提交。",
        "materials-limit" => "此件的材料总量已达上限。",
        "material-duplicate" => "同一文件已作为此件的材料上传过。",
        "material-withdrawn" => "该材料已撤回。",
        "withdrawal-reason" => "撤回材料须写明原因。",
        "proof-of-service-required" => "按本机关规定，以此方式送达须先上传签收的送达回证。",
        "search-words" => $"关键词最多{Petitions.Workflows.Features.Petitions.ListPetitions.MaxWords}个，以空格分开。",
        _ => null,
    };
}
