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
    public static string Title(IStringLocalizer<Words> words, string metric, string? value) => (metric, value) switch
    {
        ("received", _) => words["Reports.AllPetitionsReceived"],
        ("channel", { } v) => words["Common.Labelled", words["Common.Channel"], words.Channel(v)],
        ("category", { } v) => words["Common.Labelled", words["Common.Category"], words.Category(v)],
        ("stage", { } v) => words["Common.Labelled", words["Common.Stage"], words.StageName(v)],
        ("triage", { } v) => words["Common.Labelled", words["Reports.Triage"], words.Triage(v)],
        ("satisfaction", { } v) => words["Common.Labelled", words["Common.Satisfaction"], words.Satisfaction(v)],
        ("unit", "none") => words["Common.Labelled", words["Common.HandlingUnit"], words["Reports.NotAssigned"]],
        ("unit", { } v) => words["Common.Labelled", words["Common.HandlingUnit"], v],
        ("first", _) => words["Reports.FirstPetitions"],
        ("repeat", _) => words["Reports.RepeatPetitionsCount"],
        ("first-accepted", _) => words["Reports.FirstPetitionsAccepted"],
        ("first-resolved", _) => words["Reports.FirstPetitionsConcludedWithoutReview"],
        ("replied", _) => words["Reports.RepliesServed"],
        ("reviewed", _) => words["Reports.ReviewsRequested"],
        ("rereviewed", _) => words["Reports.ReReviewsRequested"],
        ("review-outcome", { } v) => words["Common.Labelled", words["Reports.ReviewOutcome"], words.ReviewOutcome(v)],
        ("rereview-outcome", { } v) => words["Common.Labelled", words["Reports.ReReviewOutcome"], words.ReviewOutcome(v)],
        ("extended", _) => words["Reports.ExtensionsGranted"],
        ("leader-reception", _) => words["Reports.ReceivedOnLeadershipReceptionDays"],
        ("clock-completed", { } v) => words["Common.Labelled", words.Clock(v), words["Reports.ClockCompleted"]],
        ("clock-on-time", { } v) => words["Common.Labelled", words.Clock(v), words["Reports.CompletedOnTime"]],
        ("clock-late", { } v) => words["Common.Labelled", words.Clock(v), words["Reports.CompletedLate"]],
        ("overdue", { } v) => words["Common.Labelled", words.Clock(v), words["Reports.ClockOverdueNow"]],
        ("order", "open") => words["Reports.SupervisionOrdersOpen"],
        ("order", _) => words["Reports.SupervisionOrdersClosed"],
        _ => metric,
    };

    /// <summary>The bars of a list of counts, each leading to its cases.</summary>
    public IReadOnlyList<Bar> Bars(IEnumerable<ReportSummary.Tally> tallies, string metric, Func<string, string> label) =>
        tallies.Select(t => new Bar(label(t.Value), t.Count, Cases(metric, t.Value))).ToList();
}
