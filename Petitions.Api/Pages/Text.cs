using System.Globalization;
using Petitions.Domain;

namespace Petitions.Api.Pages;

/// <summary>
/// The pages' words in both languages, side by side, chosen by the request's UI culture (Chinese by default, English
/// with <c>?lang=en</c>). Keeping each pair together keeps the two languages from drifting apart.
/// </summary>
public static class Text
{
    public static bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public static string T(string chinese, string english) => English ? english : chinese;

    /// <summary>A stage as a petitioner would say it.</summary>
    public static string Stage(string code) => code switch
    {
        "registered" => T("已登记，待受理审查", "Registered, awaiting review"),
        "referred" => T("已交下级机关办理", "Referred to a subordinate bureau"),
        "in-handling" => T("已受理，正在办理", "Accepted and being handled"),
        "opinion-review" => T("处理意见审核中", "Opinion under review"),
        "awaiting-service" => T("处理意见待送达", "Reply about to be delivered"),
        "return-visit" => T("已送达，待回访", "Reply delivered, follow-up visit pending"),
        "closed" => T("已办结", "Concluded"),
        "under-review" => T("复查中", "Under review by the higher authority"),
        "under-rereview" => T("复核中", "Under re-review"),
        "final" => T("已终结", "Final"),
        _ => code,
    };

    /// <summary>A stage by its short name (DOMAIN.md §2), as staff and reports name it.</summary>
    public static string StageName(string code) => code switch
    {
        "registered" => T("已登记", "Registered"),
        "referred" => T("已交办待报告", "Referred, awaiting report"),
        "in-handling" => T("办理中", "In handling"),
        "opinion-review" => T("审核中", "Opinion review"),
        "awaiting-service" => T("待送达", "Awaiting service"),
        "return-visit" => T("待回访", "Return visit"),
        "closed" => T("已办结", "Closed"),
        "under-review" => T("复查中", "Under review"),
        "under-rereview" => T("复核中", "Under re-review"),
        "final" => T("已终结", "Final"),
        _ => code,
    };

    /// <summary>A timeline step as a petitioner would say it.</summary>
    public static string Event(string code) => code switch
    {
        "register" => T("信访事项登记", "Petition registered"),
        "accept" => T("依法受理并交办", "Accepted and assigned"),
        "decline" => T("不予受理", "Not accepted"),
        "divert" => T("导入法定程序", "Directed to a legal procedure"),
        "forward" => T("转送有权处理机关", "Forwarded to the competent authority"),
        "refer" => T("交下级机关办理", "Referred to a subordinate bureau"),
        "mark-duplicate" => T("重复信访，不再受理", "Duplicate, not accepted again"),
        "approve-extension" => T("延长办理期限", "Handling period extended"),
        "reassign" => T("改由其他单位办理", "Reassigned"),
        "approve-opinion" => T("出具处理意见", "Written opinion issued"),
        "record-service" => T("文书送达", "Written reply delivered"),
        "record-return-visit" => T("回访", "Follow-up visit"),
        "request-review" => T("申请复查", "Review requested"),
        "submit-review-opinion" => T("出具复查意见", "Review opinion issued"),
        "request-rereview" => T("申请复核", "Re-review requested"),
        "start-hearing" => T("召开听证", "Hearing opened"),
        "end-hearing" => T("听证结束", "Hearing closed"),
        "submit-rereview-opinion" => T("出具复核意见", "Re-review opinion issued"),
        "finalize" => T("终结", "Concluded as final"),
        "evaluate" => T("评价办理结果", "Outcome evaluated"),
        "record-progress" => T("记录办理情况", "Progress recorded"),
        "request-extension" => T("申请延期", "Extension requested"),
        "reject-extension" => T("不批准延期", "Extension refused"),
        "return-to-office" => T("退回信访办", "Returned to the office"),
        "assign-officer" => T("指定承办人", "Officer assigned"),
        "submit-opinion" => T("提交处理意见", "Opinion submitted"),
        "return-opinion" => T("处理意见退回修改", "Opinion returned"),
        "take-charge" => T("领导包案", "Leader took charge"),
        "object-to-referral" => T("受理机关对交办提出异议", "The receiving bureau objected to the referral"),
        "referral-returned" => T("交办事项退回，重新审查", "Referral returned; the matter is reviewed again"),
        "report-back" => T("向交办机关报告办理结果", "Outcome reported to the referring bureau"),
        "referral-reported" => T("下级机关报告办理结果，交办办结", "The subordinate bureau reported the outcome"),
        "overdue" => T("超期", "Overdue"),
        "supervision-order" => T("督办", "Supervision order"),
        "supervision-response" => T("督办回复", "Supervision answered"),
        "attach-material" => T("添加材料", "Material attached"),
        "withdraw-material" => T("撤回材料", "Material withdrawn"),
        _ => code,
    };

    public static string Clock(string kind) => kind switch
    {
        "intake" => T("受理告知期限", "Intake notice"),
        "referral-objection" => T("交办异议期限", "Referral objection"),
        "handling" => T("办理期限", "Handling"),
        "review-request" => T("复查申请期限", "Review request window"),
        "review-decision" => T("复查期限", "Review decision"),
        "rereview-request" => T("复核申请期限", "Re-review request window"),
        "rereview-decision" => T("复核期限", "Re-review decision"),
        "return-visit" => T("回访期限", "Return visit"),
        "supervision-response" => T("督办回复期限", "Supervision response"),
        _ => kind,
    };

    public static string Channel(string code) => code switch
    {
        "visit" => T("来访", "Visit"),
        "letter" => T("来信", "Letter"),
        "phone" => T("来电", "Phone"),
        "fax" => T("传真", "Fax"),
        "email" => T("电子邮件", "Email"),
        "online" => T("网上信访", "Online"),
        _ => code,
    };

    public static string Category(string code) => code switch
    {
        "complaint" => T("申诉求决类", "Complaint"),
        "suggestion" => T("建议意见类", "Suggestion"),
        "accusation" => T("检举控告类", "Accusation"),
        _ => code,
    };

    public static string Satisfaction(string code) => code switch
    {
        "satisfied" => T("满意", "Satisfied"),
        "basically-satisfied" => T("基本满意", "Basically satisfied"),
        "dissatisfied" => T("不满意", "Dissatisfied"),
        "no-opinion" => T("未表态", "No opinion"),
        _ => code,
    };

    /// <summary>What triage decided, as a report names it.</summary>
    public static string Triage(string code) => code switch
    {
        "accept" => T("受理", "Accepted"),
        "decline" => T("不予受理", "Declined"),
        "divert" => T("导入法定程序", "Diverted"),
        "forward" => T("转送", "Forwarded"),
        "refer" => T("交办下级", "Referred down"),
        "mark-duplicate" => T("重复信访", "Duplicate"),
        "object-to-referral" => T("对交办提出异议", "Objected to the referral"),
        "pending" => T("待受理审查", "Awaiting triage"),
        _ => code,
    };

    /// <summary>What a review (复查) or re-review (复核) decided.</summary>
    public static string ReviewOutcome(string code) => code switch
    {
        "uphold" => T("维持", "Uphold"),
        "revise" => T("撤销或变更", "Revise"),
        "order-rehandling" => T("责令重新办理", "Order re-handling"),
        _ => T("其他", "Other"),
    };

    public static string ClockState(string state) => state switch
    {
        "running" => T("计时中", "running"),
        "paused" => T("已暂停", "paused"),
        "stopped" => T("已结束", "stopped"),
        "overdue" => T("已超期", "overdue"),
        _ => state,
    };

    public static string Notice(string code) => code switch
    {
        "acceptance" => T("受理告知书", "Notice of acceptance"),
        "non-acceptance" => T("不予受理告知书", "Notice of non-acceptance"),
        "extension" => T("延期告知书", "Notice of extension"),
        "handling-opinion" => T("信访处理意见书", "Written opinion"),
        "review-opinion" => T("复查意见书", "Review opinion"),
        "rereview-opinion" => T("复核意见书", "Re-review opinion"),
        "proof-of-service" => T("送达回证", "Proof of service"),
        "forwarding" => T("转送告知书", "Notice of forwarding"),
        "referral" => T("交办告知书", "Notice of referral"),
        "not-accepted-again" => T("不再受理告知书", "Notice of no second acceptance"),
        _ => code,
    };

    /// <summary>How another petition is linked to this one.</summary>
    public static string Link(string kind) => kind switch
    {
        "referred-to" => T("交办至", "Referred to"),
        "referred-from" => T("交办自", "Referred from"),
        "duplicate-of" => T("重复于", "Duplicate of"),
        _ => kind,
    };

    /// <summary>How a bureau answered a referral.</summary>
    public static string ReferralAnswer(string code) => code switch
    {
        "objected" => T("已提出异议", "objected"),
        "reported" => T("已报告结果", "reported back"),
        _ => code,
    };

    /// <summary>A decision level: first handling, review or re-review.</summary>
    public static string Level(string code) => code switch
    {
        "handling" => T("首次办理", "First handling"),
        "review" => T("复查", "Review"),
        "rereview" => T("复核", "Re-review"),
        _ => code,
    };

    /// <summary>Who gave a satisfaction.</summary>
    public static string EvaluationSource(string code) => code switch
    {
        "return-visit" => T("回访记录", "Return visit"),
        "petitioner" => T("信访人网上评价", "Petitioner's own evaluation"),
        _ => code,
    };

    /// <summary>What became of a version of an opinion.</summary>
    public static string OpinionDecision(string? code) => code switch
    {
        null => T("待审核", "awaiting review"),
        "approved" => T("审核通过", "approved"),
        "returned" => T("退回修改", "returned for revision"),
        "decided" => T("作出决定", "decided"),
        _ => code,
    };

    /// <summary>A handling opinion's or a review's outcome, in words.</summary>
    public static string OpinionOutcome(string code) => code switch
    {
        "support" => T("予以支持", "Support"),
        "explain" => T("解释说明", "Explain"),
        "reject" => T("不予支持", "Reject"),
        _ => ReviewOutcome(code),
    };

    /// <summary>The colour of a due day: "red" once past, "amber" within the three days before, else none.</summary>
    public static string Warning(DateOnly? due, DateOnly today) =>
        due is not { } d ? "" : d < today ? "red" : d.DayNumber - today.DayNumber <= 3 ? "amber" : "";

    public static string OrderState(string state) => state switch
    {
        "issued" => T("待回复", "awaiting the answer"),
        "answered" => T("已回复", "answered"),
        "closed" => T("已办结", "closed"),
        _ => state,
    };

    /// <summary>Who took a step: a user by name, with their organization; without a user, the petitioner (their own
    /// submission, its files, their evaluation) or the system (the deadline sweep, a window closing unused).</summary>
    public static string Actor(string action, string? user, string? organization) =>
        user is not null ? (organization is null ? user : T($"{user}（{organization}）", $"{user} ({organization})"))
        : action is "register" or "evaluate" or "attach-material" ? T("信访人", "The petitioner")
        : organization is null ? T("系统", "The system") : T($"系统（{organization}）", $"The system ({organization})");

    /// <summary>How far a due day is: days left, due today, or days past.</summary>
    public static string DaysLeft(DateOnly due, DateOnly today) => (due.DayNumber - today.DayNumber) switch
    {
        0 => T("今天到期", "due today"),
        > 0 and var left => T($"剩余{left}天", left == 1 ? "1 day left" : $"{left} days left"),
        var past => T($"超期{-past}天", -past == 1 ? "1 day overdue" : $"{-past} days overdue"),
    };

    /// <summary>A staff role (DOMAIN.md §1).</summary>
    public static string RoleName(string code) => code switch
    {
        "reception" => T("接访登记", "Reception desk"),
        "office" => T("信访办", "Petition office"),
        "handler" => T("承办人", "Handler"),
        "leader" => T("领导", "Leader"),
        "supervisor" => T("督查", "Supervisor"),
        "admin" => T("系统管理员", "Administrator"),
        _ => code,
    };

    /// <summary>A level of the organization tree.</summary>
    public static string OrganizationKindName(string code) => code switch
    {
        "province" => T("省厅", "Province department"),
        "city" => T("市局", "City bureau"),
        "county" => T("县局", "County bureau"),
        "unit" => T("承办单位", "Handling unit"),
        _ => code,
    };

    public static string Date(DateOnly date) =>
        English ? date.ToString("d MMM yyyy", CultureInfo.GetCultureInfo("en")) : date.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    /// <summary>Dates on the pages are Shanghai dates.</summary>
    public static string Date(DateTimeOffset instant) => Date(ShanghaiTime.DateOf(instant));
}
