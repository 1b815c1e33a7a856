using FluentValidation;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Reports;

/// <summary>
/// The petitions behind a number of the summary: those in the report's reach whose facts include the metric and value
/// (the same facts the counters sum), newest first, in keyset pages, as the petition list shows them. "unit" lists by
/// the handling unit (a code, or "none"); "overdue" by a clock kind due before today and still counting.
/// </summary>
public static class ReportCases
{
    public const int MaxLimit = 200;

    /// <summary>Metrics that stand alone.</summary>
    public static readonly IReadOnlySet<string> Unvalued = new HashSet<string>(StringComparer.Ordinal)
    {
        "received", "first", "repeat", "first-accepted", "first-resolved", "replied", "reviewed", "rereviewed", "extended", "leader-reception",
    };

    /// <summary>Metrics that take a value: a code of their kind.</summary>
    public static readonly IReadOnlySet<string> Valued = new HashSet<string>(StringComparer.Ordinal)
    {
        "channel", "category", "stage", "triage", "satisfaction", "review-outcome", "rereview-outcome",
        "clock-completed", "clock-on-time", "clock-late", "order", "unit", "overdue",
    };

    public sealed record Query : IQuery<ListPetitions.Page>, IReportRequest
    {
        public string? From { get; init; }
        public string? To { get; init; }
        public string? Org { get; init; }
        public string? Metric { get; init; }
        public string? Value { get; init; }
        public string? After { get; init; }
        public int? Limit { get; init; }
        public Actor Actor { get; init; } = Actor.Public;
    }

    public sealed class Validator : ReportRequestValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Metric).NotEmpty().Must(m => Unvalued.Contains(m!) || Valued.Contains(m!))
                .WithMessage($"'metric' must be one of: {string.Join(", ", Unvalued.Concat(Valued))}.");
            RuleFor(q => q.Value).NotEmpty().MaximumLength(32).When(q => q.Metric is not null && Valued.Contains(q.Metric))
                .WithMessage("This metric needs a 'value' (a code of its kind).");
            RuleFor(q => q.Value).Empty().When(q => q.Metric is not null && Unvalued.Contains(q.Metric))
                .WithMessage("This metric takes no 'value'.");
            RuleFor(q => q.Limit).InclusiveBetween(1, MaxLimit);
            RuleFor(q => q.After).Must(a => ListPetitions.Cursor.TryRead(a, out _)).When(q => q.After is not null).WithMessage("Not a cursor this list gave out.");
        }
    }

    public sealed class Handler(DbSession session, AccountStore accounts, TimeProvider time) : IRequestHandler<Query, ListPetitions.Page>
    {
        public async Task<ListPetitions.Page> Handle(Query query, CancellationToken ct)
        {
            var today = ShanghaiTime.DateOf(time.GetUtcNow());
            var scope = await ReportScope.ResolveAsync(query, accounts, today, ct);
            var reach = await PetitionScope.ReachAsync(accounts, session.Dialect, query.Actor, ct);
            ListPetitions.Cursor.TryRead(query.After, out var afterId);
            var condition = query.Metric switch
            {
                "unit" when query.Value == "none" => "p.assigned_unit_id IS NULL",
                "unit" => "p.assigned_unit_id = (SELECT id FROM organizations WHERE code = @Value AND kind = 'unit')",
                "overdue" => $"EXISTS (SELECT 1 FROM report_facts f WHERE f.petition_id = p.id AND {scope.FactsFilter} AND f.metric = @DueMetric AND f.value < @Today)",
                _ => $"EXISTS (SELECT 1 FROM report_facts f WHERE f.petition_id = p.id AND {scope.FactsFilter} AND f.metric = @Metric AND f.value = @Value)",
            };
            var parameters = scope.Parameters(today);
            parameters.Add("Metric", query.Metric);
            parameters.Add("Value", query.Value ?? "");
            parameters.Add("DueMetric", ReportScope.DuePrefix + query.Value);
            parameters.Add("AfterId", afterId);
            string[] where = query.After is null
                ? [reach.Condition, scope.PetitionsFilter, condition]
                : [reach.Condition, scope.PetitionsFilter, condition, "p.id < @AfterId"];
            return await ListPetitions.PageAsync(session, where, reach.With(parameters), query.Limit ?? 50, today, ct);
        }
    }
}
