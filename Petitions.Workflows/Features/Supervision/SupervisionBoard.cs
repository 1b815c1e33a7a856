using FluentValidation;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Supervision;

/// <summary>
/// The supervision team's board: the clocks past their due day (red) or near it (amber) within the caller's reach,
/// sorted by days overdue, by unit or by category. A clock past due counts as red even before the sweep marks it.
/// </summary>
public static class SupervisionBoard
{
    public sealed record Query(WarningLevel Level, string? Sort, string? Unit, string? Category, Actor Actor) : IQuery<IReadOnlyList<Entry>>;

    public sealed record Entry
    {
        public string CaseNumber { get; init; } = "";
        public string Subject { get; init; } = "";
        public string Stage { get; init; } = "";
        public string Category { get; init; } = "";
        public string? Unit { get; init; }
        public string Clock { get; init; } = "";
        public DateOnly DueOn { get; init; }

        /// <summary>Days past the due day (negative: days left).</summary>
        public int DaysOverdue { get; init; }
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Sort).Must(s => s is null or "days" or "unit" or "category").WithMessage("'sort' is days, unit or category.");
            RuleFor(q => q.Category).IsOneOf(Codes.All<Category>(), "category").When(q => q.Category is not null);
            RuleFor(q => q.Unit).MaximumLength(32);
        }
    }

    /// <summary>The clocks <c>c</c> a board lists (with @Today): the workbench counts them too.</summary>
    internal static string Condition(WarningLevel level) => level == WarningLevel.Overdue
        ? "(c.state = 'overdue' OR (c.state = 'running' AND c.due_on < @Today))"
        : "(c.state = 'running' AND c.due_on >= @Today AND c.warned = 'near-due')";

    public sealed class Handler(DbSession session, AccountStore accounts, TimeProvider time) : IRequestHandler<Query, IReadOnlyList<Entry>>
    {
        public async Task<IReadOnlyList<Entry>> Handle(Query query, CancellationToken ct)
        {
            query.Actor.Require(Role.Supervisor, Role.Leader, Role.Office);
            var reach = await PetitionScope.ReachAsync(accounts, session.Dialect, query.Actor, ct);
            var today = ShanghaiTime.DateOf(time.GetUtcNow());
            var where = new List<string> { reach.Condition, Condition(query.Level) };
            if (query.Unit is not null) where.Add("u.code = @Unit");
            if (query.Category is not null) where.Add("p.category = @Category");
            var order = query.Sort switch
            {
                "unit" => "u.name, c.due_on",
                "category" => "p.category, c.due_on",
                _ => "c.due_on, p.id",
            };
            var rows = await session.QueryAsync<Entry>(
                $"""
                SELECT p.case_number AS CaseNumber,
                       p.subject     AS Subject,
                       p.stage       AS Stage,
                       p.category    AS Category,
                       u.name        AS Unit,
                       c.kind        AS Clock,
                       c.due_on      AS DueOn
                FROM clocks c
                JOIN petitions p ON p.id = c.petition_id
                LEFT JOIN organizations u ON u.id = p.assigned_unit_id
                WHERE {string.Join("\n  AND ", where)}
                ORDER BY {order}
                """,
                reach.With(new { Today = today, query.Unit, query.Category }), ct);
            return rows.Select(r => r with { DaysOverdue = today.DayNumber - r.DueOn.DayNumber }).ToList();
        }
    }
}
