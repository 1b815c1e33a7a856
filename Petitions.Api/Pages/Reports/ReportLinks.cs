using System.Globalization;
using Petitions.Workflows.Features.Reports;

namespace Petitions.Api.Pages.Reports;

/// <summary>A bar of a chart: what it counts, how many, and the cases behind it.</summary>
public sealed record Bar(string Label, long Value, string? Href);

/// <summary>A bar chart drawn as SVG on the server: horizontal bars, or vertical ones for a time series.</summary>
public sealed record BarChart(string Id, string Title, IReadOnlyList<Bar> Bars, bool Vertical = false);

/// <summary>
/// Where the numbers of a report lead: the page listing the cases behind a metric and value, for the same
/// organization and period (or a part of it), and what such a list is called.
/// </summary>
public sealed class ReportLinks(string? org, DateOnly from, DateOnly to)
{
    public string Cases(string metric, string? value = null, DateOnly? first = null, DateOnly? last = null) =>
        $"/reports/cases?{Query(org, first ?? from, last ?? to)}&metric={Uri.EscapeDataString(metric)}{(value is null ? "" : "&value=" + Uri.EscapeDataString(value))}";

    /// <summary>A month's bar leads to the cases received in that month, within the period.</summary>
    public string Month(string yearMonth)
    {
        var start = DateOnly.ParseExact(yearMonth + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return Cases("received", null, start < from ? from : start, start.AddMonths(1).AddDays(-1) is var end && end > to ? to : end);
    }

    public static string Query(string? org, DateOnly from, DateOnly to) =>
        string.Create(CultureInfo.InvariantCulture, $"from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}") + (org is null ? "" : "&org=" + Uri.EscapeDataString(org));

    /// <summary>What a list of cases behind a number is called: the measure, and the value when it has one.</summary>
    public static string Title(string metric, string? value) => (metric, value) switch
    {
        ("received", _) => Text.T("全部信访件", "All petitions received"),
        ("channel", { } v) => $"{Text.T("信访形式", "Channel")}：{Text.Channel(v)}",
        ("category", { } v) => $"{Text.T("信访类别", "Category")}：{Text.Category(v)}",
        ("stage", { } v) => $"{Text.T("办理阶段", "Stage")}：{Text.StageName(v)}",
        ("triage", { } v) => $"{Text.T("受理审查", "Triage")}：{Text.Triage(v)}",
        ("satisfaction", { } v) => $"{Text.T("满意度", "Satisfaction")}：{Text.Satisfaction(v)}",
        ("unit", "none") => $"{Text.T("承办单位", "Handling unit")}：{Text.T("未交办", "Not assigned")}",
        ("unit", { } v) => $"{Text.T("承办单位", "Handling unit")}：{v}",
        ("first", _) => Text.T("初信初访", "First petitions"),
        ("repeat", _) => Text.T("重复信访", "Repeat petitions"),
        ("first-accepted", _) => Text.T("受理的初信初访", "First petitions accepted"),
        ("first-resolved", _) => Text.T("未经复查办结的初信初访", "First petitions concluded without review"),
        ("replied", _) => Text.T("处理意见已送达", "Replies served"),
        ("reviewed", _) => Text.T("申请复查", "Reviews requested"),
        ("rereviewed", _) => Text.T("申请复核", "Re-reviews requested"),
        ("review-outcome", { } v) => $"{Text.T("复查结果", "Review outcome")}：{Text.ReviewOutcome(v)}",
        ("rereview-outcome", { } v) => $"{Text.T("复核结果", "Re-review outcome")}：{Text.ReviewOutcome(v)}",
        ("extended", _) => Text.T("批准延期", "Extensions granted"),
        ("leader-reception", _) => Text.T("局长接待日接待", "Received on leadership reception days"),
        ("clock-completed", { } v) => $"{Text.Clock(v)}：{Text.T("已办结", "completed")}",
        ("clock-on-time", { } v) => $"{Text.Clock(v)}：{Text.T("按期办结", "completed on time")}",
        ("clock-late", { } v) => $"{Text.Clock(v)}：{Text.T("超期办结", "completed late")}",
        ("overdue", { } v) => $"{Text.Clock(v)}：{Text.T("当前超期", "overdue now")}",
        ("order", "open") => Text.T("督办单：未办结", "Supervision orders: open"),
        ("order", _) => Text.T("督办单：已办结", "Supervision orders: closed"),
        _ => metric,
    };

    /// <summary>The bars of a list of counts, each leading to its cases.</summary>
    public IReadOnlyList<Bar> Bars(IEnumerable<ReportSummary.Tally> tallies, string metric, Func<string, string> label) =>
        tallies.Select(t => new Bar(label(t.Value), t.Count, Cases(metric, t.Value))).ToList();
}
