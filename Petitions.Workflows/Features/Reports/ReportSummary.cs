using System.Globalization;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Reports;

/// <summary>
/// The numbers bureau leaders and supervisors are judged on, for the petitions received in a period by an
/// organization's subtree, as those petitions stand now (definitions: README, Reports). Every number is summed from
/// the report counters, which the same transactions as the actions keep exact; for "overdue now", the counters of the
/// clocks still counting are summed over the due days before today.
/// </summary>
public static class ReportSummary
{
    public sealed record Query(string? From, string? To, string? Org, Actor Actor) : IQuery<Summary>, IReportRequest;

    public sealed class Validator : ReportRequestValidator<Query>;

    /// <summary>A count of one value, with its share of the petitions received.</summary>
    public sealed record Tally(string Value, long Count, double? Share);

    /// <summary>A count out of a base, and their quotient (null when the base is 0).</summary>
    public sealed record Ratio(long Count, long Of, double? Rate);

    public sealed record UnitTally(string? Code, string? Name, long Count);

    public sealed record ClockFigures(string Kind, long Completed, long OnTime, long Late, double? OnTimeRate, long OverdueNow);

    public sealed record HandlingDays(long Completed, long TotalDays, double? Average);

    public sealed record Extensions(long Granted, long Days);

    public sealed record SatisfactionFigures(IReadOnlyList<Tally> Distribution, Ratio Rate);

    public sealed record FirstPetitionFigures(long Count, Ratio Resolution);

    public sealed record AppealFigures(Ratio Rate, IReadOnlyList<Tally> Outcomes);

    public sealed record OrderFigures(long Open, long Closed);

    public sealed record OrganizationView(string Code, string Name, string Kind);

    public sealed record Summary(
        DateOnly From,
        DateOnly To,
        OrganizationView Organization,
        long Received,
        IReadOnlyList<Tally> ByMonth,
        IReadOnlyList<Tally> ByChannel,
        IReadOnlyList<Tally> ByCategory,
        IReadOnlyList<Tally> ByStage,
        IReadOnlyList<UnitTally> ByUnit,
        IReadOnlyList<Tally> Triage,
        IReadOnlyList<ClockFigures> Clocks,
        HandlingDays Handling,
        Extensions Extensions,
        SatisfactionFigures Satisfaction,
        Ratio Repeat,
        FirstPetitionFigures FirstPetitions,
        AppealFigures Review,
        AppealFigures Rereview,
        OrderFigures SupervisionOrders,
        Ratio LeaderReception);

    /// <summary>Triage outcomes in the order of the workflow, and "pending" for petitions awaiting triage.</summary>
    public static readonly IReadOnlyList<string> TriageOutcomes = ["accept", "decline", "divert", "forward", "refer", "mark-duplicate", "object-to-referral", "pending"];

    /// <summary>The bureau's own deadlines: every clock but the petitioner's request windows.</summary>
    public static readonly IReadOnlyList<string> ClockKinds =
        Codes.All<ClockKind>().Where(k => k is not ("review-request" or "rereview-request")).ToArray();

    private sealed record Total
    {
        public string Metric { get; init; } = "";
        public string Value { get; init; } = "";
        public long N { get; init; }
        public long Amount { get; init; }
    }

    private sealed record DayRow
    {
        public DateOnly Day { get; init; }
        public long N { get; init; }
    }

    private sealed record UnitRow
    {
        public string? Code { get; init; }
        public string? Name { get; init; }
        public long N { get; init; }
    }

    private sealed record KindRow
    {
        public string Kind { get; init; } = "";
        public long N { get; init; }
    }

    /// <summary>The summary's four reads of the counters in a scope. On SQLite the days, units and overdue reads each
    /// have a partial index (db/sqlite/0023), which the planner takes only while their metric filters are written as the
    /// indexes' are.</summary>
    internal static class Reads
    {
        public static string Totals(ReportScope scope) =>
            $"""
            SELECT metric      AS Metric,
                   value       AS Value,
                   SUM(n)      AS N,
                   SUM(amount) AS Amount
            FROM report_counts
            WHERE {scope.CountsFilter}
              AND metric NOT LIKE '{ReportScope.DuePrefix}%'
            GROUP BY metric, value
            """;

        public static string Days(ReportScope scope) =>
            $"""
            SELECT received_on AS Day,
                   SUM(n)      AS N
            FROM report_counts
            WHERE {scope.CountsFilter}
              AND metric = 'received'
            GROUP BY received_on
            """;

        /// <summary>A petition moved to another unit leaves a zero behind: a unit is listed when it has petitions.</summary>
        public static string Units(ReportScope scope) =>
            $"""
            SELECT u.code     AS Code,
                   u.name     AS Name,
                   SUM(rc.n)  AS N
            FROM report_counts rc
            LEFT JOIN organizations u ON u.id = rc.unit_id
            WHERE {scope.CountsFilter}
              AND rc.metric = 'received'
            GROUP BY u.code, u.name
            HAVING SUM(rc.n) <> 0
            """;

        public static string Overdue(ReportScope scope) =>
            $"""
            SELECT metric AS Kind,
                   SUM(n) AS N
            FROM report_counts
            WHERE {scope.CountsFilter}
              AND metric LIKE '{ReportScope.DuePrefix}%'
              AND value < @Today
            GROUP BY metric
            """;
    }

    public sealed class Handler(DbSession session, AccountStore accounts, TimeProvider time) : IRequestHandler<Query, Summary>
    {
        public async Task<Summary> Handle(Query query, CancellationToken ct)
        {
            var today = ShanghaiTime.DateOf(time.GetUtcNow());
            var scope = await ReportScope.ResolveAsync(query, accounts, today, ct);
            var parameters = scope.Parameters(today);

            var totals = (await session.QueryAsync<Total>(Reads.Totals(scope), parameters, ct)).ToDictionary(t => (t.Metric, t.Value));
            var days = await session.QueryAsync<DayRow>(Reads.Days(scope), parameters, ct);
            var units = await session.QueryAsync<UnitRow>(Reads.Units(scope), parameters, ct);
            var overdue = (await session.QueryAsync<KindRow>(Reads.Overdue(scope), parameters, ct))
                .ToDictionary(r => r.Kind[ReportScope.DuePrefix.Length..], r => r.N);

            long N(string metric, string value = "") => totals.TryGetValue((metric, value), out var t) ? t.N : 0;
            long Amount(string metric, string value = "") => totals.TryGetValue((metric, value), out var t) ? t.Amount : 0;
            var received = N("received");
            Tally Share(string value, long count) => new(value, count, Rate(count, received));
            IReadOnlyList<Tally> By(string metric, IEnumerable<string> values) => values.Select(v => Share(v, N(metric, v))).ToList();
            // Values beyond the known codes (a decision recorded some other way) are still shown, never dropped.
            IReadOnlyList<Tally> Outcomes(string metric, IEnumerable<string> known) =>
                known.Concat(totals.Keys.Where(k => k.Metric == metric && !known.Contains(k.Value)).Select(k => k.Value))
                    .Select(v => new Tally(v, N(metric, v), Rate(N(metric, v), totals.Where(t => t.Key.Metric == metric).Sum(t => t.Value.N))))
                    .ToList();

            var satisfied = N("satisfaction", "satisfied") + N("satisfaction", "basically-satisfied");
            var handlingCompleted = N("clock-completed", "handling");
            return new Summary(
                scope.From,
                scope.To,
                new OrganizationView(scope.Organization.Code, scope.Organization.Name, scope.Organization.Kind),
                received,
                Months(scope.From, scope.To)
                    .Select(m => Share(m.ToString("yyyy-MM", CultureInfo.InvariantCulture), days.Where(d => d.Day.Year == m.Year && d.Day.Month == m.Month).Sum(d => d.N)))
                    .ToList(),
                By("channel", Codes.All<Channel>()),
                By("category", Codes.All<Category>()),
                By("stage", Codes.All<Stage>()),
                units.OrderByDescending(u => u.N).ThenBy(u => u.Code, StringComparer.Ordinal).Select(u => new UnitTally(u.Code, u.Name, u.N)).ToList(),
                TriageOutcomes.Select(o => Share(o, o == "pending" ? N("stage", "registered") : N("triage", o))).ToList(),
                ClockKinds.Select(kind => new ClockFigures(
                    kind,
                    N("clock-completed", kind),
                    N("clock-on-time", kind),
                    N("clock-late", kind),
                    Rate(N("clock-on-time", kind), N("clock-completed", kind)),
                    overdue.GetValueOrDefault(kind))).ToList(),
                new HandlingDays(handlingCompleted, Amount("clock-completed", "handling"),
                    handlingCompleted == 0 ? null : Math.Round(Amount("clock-completed", "handling") / (double)handlingCompleted, 1)),
                new Extensions(N("extended"), Amount("extended")),
                new SatisfactionFigures(
                    By("satisfaction", Codes.All<Satisfaction>()),
                    new Ratio(satisfied, satisfied + N("satisfaction", "dissatisfied"), Rate(satisfied, satisfied + N("satisfaction", "dissatisfied")))),
                new Ratio(N("repeat"), received, Rate(N("repeat"), received)),
                new FirstPetitionFigures(N("first"), new Ratio(N("first-resolved"), N("first-accepted"), Rate(N("first-resolved"), N("first-accepted")))),
                new AppealFigures(new Ratio(N("reviewed"), N("replied"), Rate(N("reviewed"), N("replied"))), Outcomes("review-outcome", Codes.All<ReviewOutcome>())),
                new AppealFigures(
                    new Ratio(N("rereviewed"), N("reviewed"), Rate(N("rereviewed"), N("reviewed"))),
                    Outcomes("rereview-outcome", [Codes.Of(ReviewOutcome.Uphold), Codes.Of(ReviewOutcome.Revise)])),
                new OrderFigures(N("order", "open"), N("order", "closed")),
                new Ratio(N("leader-reception"), received, Rate(N("leader-reception"), received)));
        }

        private static IEnumerable<DateOnly> Months(DateOnly from, DateOnly to)
        {
            for (var month = new DateOnly(from.Year, from.Month, 1); month <= to; month = month.AddMonths(1)) yield return month;
        }
    }

    /// <summary>A quotient rounded to four places, or null when there is nothing to divide by.</summary>
    public static double? Rate(long count, long of) => of == 0 ? null : Math.Round(count / (double)of, 4);
}
