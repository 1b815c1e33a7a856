using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Petitions.Domain;
using Petitions.Workflows.Features.Petitions;

namespace Petitions.Api.Documents;

/// <summary>
/// A notice as the petitioner receives it: a printable A4 page in Chinese with the issuing organ (under whose seal it
/// goes: a review's notices are the reviewing organ's), case number, dates (a provisional due date says so), decision
/// and, for opinions, how and by when to ask for review. Every value is HTML-encoded. The query code is
/// printed on the registration receipt alone: it is stored only as a hash.
/// </summary>
public static class NoticeDocument
{
    // Escapes markup but leaves Chinese text as it is (the default encoder turns every CJK character into an entity).
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    private static readonly IReadOnlyDictionary<string, string> Titles = new Dictionary<string, string>
    {
        ["acceptance"] = "受理告知书",
        ["non-acceptance"] = "不予受理告知书",
        ["extension"] = "延期告知书",
        ["handling-opinion"] = "信访处理意见书",
        ["review-opinion"] = "信访复查意见书",
        ["rereview-opinion"] = "信访复核意见书",
        ["proof-of-service"] = "送达回证",
        ["forwarding"] = "转送告知书",
        ["referral"] = "交办告知书",
        ["not-accepted-again"] = "不再受理告知书",
    };

    /// <summary>Said after a due date that depends on a year without its holiday table yet.</summary>
    private const string Provisional = "（暂定：该年度节假日安排公布后，期限可能顺延）";

    private static readonly IReadOnlyDictionary<string, string> Words = new Dictionary<string, string>
    {
        ["support"] = "予以支持", ["explain"] = "解释说明", ["reject"] = "不予支持",
        ["uphold"] = "维持", ["revise"] = "撤销或者变更", ["order-rehandling"] = "责令重新办理",
        ["litigation"] = "诉讼", ["reconsideration"] = "行政复议", ["arbitration"] = "仲裁", ["police-procedure"] = "公安机关执法程序",
        ["in-person"] = "直接送达", ["post"] = "邮寄送达", ["electronic"] = "电子送达", ["publication"] = "公告送达",
        ["handling"] = "信访处理意见书", ["review"] = "信访复查意见书", ["rereview"] = "信访复核意见书",
    };

    public static string Render(GetNotice.Response notice)
    {
        var d = notice.Details;
        string V(string key) => Html.Encode(d.GetValueOrDefault(key) ?? "");
        string W(string key) => Html.Encode(Words.GetValueOrDefault(d.GetValueOrDefault(key) ?? "") ?? d.GetValueOrDefault(key) ?? "");
        string Due(string clock) => V($"due:{clock}") + (d.ContainsKey($"provisional:{clock}") ? Provisional : "");
        var subject = Html.Encode(notice.Subject);
        var received = notice.ReceivedOn.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);
        var title = Titles.GetValueOrDefault(notice.Kind, notice.Kind);

        var body = notice.Kind switch
        {
            "acceptance" =>
                $"<p>您于{received}反映的“{subject}”一事，本机关已依法受理，交由{V("unit")}办理。</p>" +
                $"<p>本机关将自受理之日{(d.ContainsKey("acceptedOn") ? $"（{V("acceptedOn")}）" : "")}起六十日内办结，办理期限至{Due("handling")}。</p>",
            "non-acceptance" when d.ContainsKey("procedure") =>
                $"<p>您于{received}反映的“{subject}”一事，属于应当通过{W("procedure")}途径解决的事项，本机关不予受理。</p>" +
                $"<p>{V("reason")}</p><p>请依照法律、法规规定的程序向有关机关提出。</p>",
            "non-acceptance" =>
                $"<p>您于{received}反映的“{subject}”一事，经审查，本机关决定不予受理。</p>" +
                $"<p>理由：{V("reason")}</p><p>您可以向{V("whereToGo")}提出。</p>",
            "extension" =>
                $"<p>您于{received}反映的“{subject}”一事，因{V("reason")}，经本机关负责人批准，办理期限延长{V("days")}日，" +
                $"延长后的期限至{Due("handling")}。</p>",
            "handling-opinion" or "review-opinion" or "rereview-opinion" =>
                $"<p>您于{received}反映的“{subject}”一事，现提出{(notice.Kind == "handling-opinion" ? "处理" : notice.Kind == "review-opinion" ? "复查" : "复核")}意见如下：</p>" +
                $"<p><strong>{W("outcome")}。</strong></p><p class=\"text\">{V("text")}</p>" +
                (d.ContainsKey("appealTo")
                    ? $"<p>如对本意见不服，可以自收到本意见书之日起{V("appealWithinDays")}日内向{V("appealTo")}提出{(notice.Kind == "handling-opinion" ? "复查" : "复核")}请求。</p>"
                    : notice.Kind == "rereview-opinion" ? "<p>本复核意见为最终意见。信访人对复核意见不服，仍以同一事实和理由提出信访的，不再受理。</p>" : ""),
            "proof-of-service" =>
                $"<table><tr><th>送达文书</th><td>{W("document")}</td></tr><tr><th>送达日期</th><td>{V("servedOn")}</td></tr>" +
                $"<tr><th>送达方式</th><td>{W("method")}</td></tr><tr><th>受送达人签收</th><td class=\"sign\"></td></tr></table>" +
                (d.ContainsKey("due:review-request") ? $"<p>如不服处理意见，可于{Due("review-request")}前提出复查请求。</p>"
                    : d.ContainsKey("due:rereview-request") ? $"<p>如不服复查意见，可于{Due("rereview-request")}前提出复核请求。</p>" : ""),
            "forwarding" =>
                $"<p>您于{received}反映的“{subject}”一事，不属于公安机关职权范围，本机关已依法转送{V("organ")}处理，请向该机关了解办理情况。</p>",
            "referral" =>
                $"<p>您于{received}反映的“{subject}”一事，本机关已交由{V("to")}依法办理，{V("to")}将向本机关报告办理结果。</p>" +
                "<p>您可以继续凭原信访编号和查询码查询办理进展。</p>",
            "not-accepted-again" =>
                $"<p>您于{received}反映的“{subject}”一事，与信访编号为{V("earlierCaseNumber")}的信访事项属同一事项。</p>" +
                (d.GetValueOrDefault("earlierFinal") == "true"
                    ? "<p>该事项已经终结。依照《信访工作条例》第三十六条第三款，以同一事实和理由提出的信访事项，不再受理。</p>"
                    : "<p>该事项正在办理中。依照《信访工作条例》第十九条第三款，本机关不再重复受理，办理结果将依法告知您。</p>"),
            _ => "",
        };

        return Page(title, notice.CaseNumber, notice.Petitioner, body, V("bureau"), ShanghaiTime.DateOf(notice.IssuedAt));
    }

    /// <summary>The registration receipt: the case number and query code, and how to follow the petition.</summary>
    public static string Receipt(GetReceipt.Response receipt, DateOnly printedOn)
    {
        var body =
            $"<p>您于{receipt.ReceivedOn.ToString("yyyy年M月d日", CultureInfo.InvariantCulture)}提出的“{Html.Encode(receipt.Subject)}”信访事项，本机关已登记。</p>" +
            $"<table><tr><th>信访编号</th><td>{Html.Encode(receipt.CaseNumber)}</td></tr><tr><th>查询码</th><td class=\"code\">{Html.Encode(receipt.QueryCode)}</td></tr></table>" +
            $"<p>本机关将于{receipt.IntakeDueOn.ToString("yyyy年M月d日", CultureInfo.InvariantCulture)}前告知您是否受理。凭信访编号和查询码，可在网上查询办理进展并评价办理结果。</p>" +
            "<p>查询码仅此一次告知，请妥善保管，不要告诉他人。</p>";
        return Page("信访事项登记回执", receipt.CaseNumber, receipt.Petitioner, body, Html.Encode(receipt.Bureau), printedOn);
    }

    private static string Page(string title, string caseNumber, string addressee, string body, string bureau, DateOnly issuedOn) => $$"""
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <title>{{title}} {{Html.Encode(caseNumber)}}</title>
        <style>
          @page { size: A4; margin: 25mm 20mm; }
          body { font-family: "Songti SC", "SimSun", "Noto Serif CJK SC", serif; font-size: 14pt; line-height: 1.8; max-width: 170mm; margin: 0 auto; }
          h1 { text-align: center; font-size: 20pt; letter-spacing: 0.3em; margin-bottom: 0; }
          .number { text-align: right; font-size: 11pt; }
          .text { white-space: pre-wrap; text-indent: 2em; }
          p { text-indent: 2em; margin: 0.4em 0; }
          table { width: 100%; border-collapse: collapse; margin: 0.6em 0; } th, td { border: 1px solid #000; padding: 6pt; text-align: left; }
          th { width: 30%; } td.sign { height: 30mm; } td.code { font-family: monospace; font-size: 18pt; letter-spacing: 0.2em; }
          .seal { margin-top: 3em; text-align: right; }
          @media screen { body { padding: 2em; } }
        </style>
        </head>
        <body>
        <h1>{{title}}</h1>
        <p class="number">{{Html.Encode(caseNumber)}}</p>
        <p style="text-indent:0">{{Html.Encode(addressee)}}：</p>
        {{body}}
        <div class="seal"><p>{{bureau}}</p><p>{{issuedOn.ToString("yyyy年M月d日", CultureInfo.InvariantCulture)}}</p></div>
        </body>
        </html>
        """;
}
