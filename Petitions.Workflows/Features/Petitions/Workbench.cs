using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Features.Supervision;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Petitions;

/// <summary>
/// Where a user's day starts (工作台): each work queue of their roles with how many petitions wait in it and how many
/// of those are amber and red; the petitions with a deadline in the next 7 days; for those who answer supervision
/// orders (the unit, the office), the orders still waiting for an answer; for those who watch the boards, the boards'
/// totals; for handlers, their own cases as officer. Every number is counted in SQL within the caller's reach, as the
/// lists behind it show.
/// </summary>
public static class Workbench
{
    /// <summary>How many rows of each list the workbench shows; its numbers link to the rest.</summary>
    public const int Shown = 10;

    /// <summary>A role's work: the petitions waiting for that role's next step.</summary>
    public sealed record Queue(string Code, Stage Stage, bool ExtensionRequested, Role[] Roles);

    public static readonly IReadOnlyList<Queue> Queues =
    [
        new("triage", Stage.Registered, false, [Role.Office]),
        new("handling", Stage.InHandling, false, [Role.Handler]),
        new("extensions", Stage.InHandling, true, [Role.Leader]),
        new("opinions", Stage.OpinionReview, false, [Role.Leader, Role.Office]),
        new("service", Stage.AwaitingService, false, [Role.Office, Role.Handler]),
        new("return-visits", Stage.ReturnVisit, false, [Role.Office, Role.Handler, Role.Supervisor]),
        new("reviews", Stage.UnderReview, false, [Role.Office, Role.Leader]),
        new("rereviews", Stage.UnderRereview, false, [Role.Office, Role.Leader]),
    ];

    /// <summary>The roles that answer supervision orders, and those that watch the boards.</summary>
    private static readonly Role[] Answering = [Role.Handler, Role.Office];

    private static readonly Role[] Watching = [Role.Supervisor, Role.Leader, Role.Office];

    public sealed record Query(Actor Actor) : IQuery<Result>;

    /// <summary>A queue's petitions: all of them, those near a deadline (amber) and those past one (red).</summary>
    public sealed record QueueCount(string Queue, long Count, long NearDue, long Overdue);

    /// <summary>Supervision orders waiting for the answer: how many, and the newest of them.</summary>
    public sealed record AwaitingOrders(long Count, IReadOnlyList<Order> Newest);

    /// <summary>The supervision boards' totals: clocks past due, clocks near due, orders not yet closed.</summary>
    public sealed record BoardTotals(long Overdue, long NearDue, long OpenOrders);

    public sealed record Result(IReadOnlyList<QueueCount> Queues, ListPetitions.Page DueSoon, AwaitingOrders? AwaitingAnswer, BoardTotals? Boards)
    {
        /// <summary>For handlers, the petitions still in progress that they handle as officer (我承办的): queue <c>mine</c>.</summary>
        public QueueCount? Mine { get; init; }
    }

    /// <summary>The queue of the caller's own cases as officer.</summary>
    public const string MineQueue = "mine";

    public sealed class Handler(DbSession session, AccountStore accounts, SupervisionStore orders, IMediator mediator, TimeProvider time)
        : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken ct)
        {
            var actor = query.Actor;
            var reach = await PetitionScope.ReachAsync(accounts, session.Dialect, actor, ct);
            var today = ShanghaiTime.DateOf(time.GetUtcNow());
            var mine = Queues.Where(q => actor.HasAny(q.Roles)).ToList();

            var counts = mine.Count == 0 ? [] : await session.QueryAsync<StageCount>(
                $"""
                SELECT w.stage                    AS Stage,
                       w.extension_requested      AS ExtensionRequested,
                       COUNT(*)                   AS Count,
                       SUM(w.red)                 AS Overdue,
                       SUM(w.amber)               AS NearDue
                FROM (SELECT p.stage AS stage,
                             CASE WHEN p.requested_extension_days IS NULL THEN 0 ELSE 1 END AS extension_requested,
                             CASE WHEN p.id IN (SELECT c.petition_id FROM clocks c WHERE {ListPetitions.RedClock}) THEN 1 ELSE 0 END AS red,
                             CASE WHEN p.id IN (SELECT c.petition_id FROM clocks c WHERE {ListPetitions.RedClock}) THEN 0
                                  WHEN p.id IN (SELECT c.petition_id FROM clocks c WHERE {ListPetitions.AmberClock}) THEN 1
                                  ELSE 0 END AS amber
                      FROM petitions p
                      WHERE {reach.Condition}
                        AND p.stage IN ({string.Join(", ", Queues.Select(q => $"'{Codes.Of(q.Stage)}'").Distinct())})) w
                GROUP BY w.stage, w.extension_requested
                """,
                reach.With(new { DueToday = today }), ct);
            var queues = mine.Select(q =>
            {
                var rows = counts.Where(c => c.Stage == Codes.Of(q.Stage) && (!q.ExtensionRequested || c.ExtensionRequested == 1)).ToList();
                return new QueueCount(q.Code, rows.Sum(r => r.Count), rows.Sum(r => r.NearDue), rows.Sum(r => r.Overdue));
            }).ToList();

            var dueSoon = await mediator.Send(new ListPetitions.Query { Due = "next-7-days", Sort = "due", Limit = Shown, Actor = actor }, ct);

            OrderCounts? orderCounts = null;
            if (actor.HasAny(Answering) || actor.HasAny(Watching))
            {
                orderCounts = await session.QuerySingleOrDefaultAsync<OrderCounts>(
                    $"""
                    SELECT COUNT(*)                                               AS Unclosed,
                           COALESCE(SUM(CASE WHEN o.state = 'issued' THEN 1 ELSE 0 END), 0) AS Issued
                    FROM supervision_orders o
                    JOIN petitions p ON p.id = o.petition_id
                    WHERE {reach.Condition}
                      AND o.state IN ('issued', 'answered')
                    """,
                    reach.With(new { }), ct);
            }
            var awaiting = actor.HasAny(Answering)
                ? new AwaitingOrders(orderCounts!.Issued, await orders.ListAsync(reach, "issued", Shown, ct))
                : null;

            BoardTotals? boards = null;
            if (actor.HasAny(Watching))
            {
                var clocks = await session.QuerySingleOrDefaultAsync<ClockCounts>(
                    $"""
                    SELECT COALESCE(SUM(CASE WHEN {SupervisionBoard.Condition(WarningLevel.Overdue)} THEN 1 ELSE 0 END), 0) AS Overdue,
                           COALESCE(SUM(CASE WHEN {SupervisionBoard.Condition(WarningLevel.NearDue)} THEN 1 ELSE 0 END), 0) AS NearDue
                    FROM clocks c
                    JOIN petitions p ON p.id = c.petition_id
                    WHERE {reach.Condition}
                      AND c.state IN ('running', 'overdue')
                    """,
                    reach.With(new { Today = today }), ct);
                boards = new BoardTotals(clocks!.Overdue, clocks.NearDue, orderCounts!.Unclosed);
            }
            QueueCount? mineCount = null;
            if (actor.HasAny([Role.Handler]))
            {
                var own = await session.QuerySingleOrDefaultAsync<OwnCounts>(
                    $"""
                    SELECT COUNT(*)                  AS Count,
                           COALESCE(SUM(w.red), 0)   AS Overdue,
                           COALESCE(SUM(w.amber), 0) AS NearDue
                    FROM (SELECT CASE WHEN p.id IN (SELECT c.petition_id FROM clocks c WHERE {ListPetitions.RedClock}) THEN 1 ELSE 0 END AS red,
                                 CASE WHEN p.id IN (SELECT c.petition_id FROM clocks c WHERE {ListPetitions.RedClock}) THEN 0
                                      WHEN p.id IN (SELECT c.petition_id FROM clocks c WHERE {ListPetitions.AmberClock}) THEN 1
                                      ELSE 0 END AS amber
                          FROM petitions p
                          WHERE {reach.Condition}
                            AND p.officer_id = @OfficerId
                            AND p.stage NOT IN ('closed', 'final')) w
                    """,
                    reach.With(new { DueToday = today, OfficerId = actor.UserId }), ct);
                mineCount = new QueueCount(MineQueue, own!.Count, own.NearDue, own.Overdue);
            }
            return new Result(queues, dueSoon, awaiting, boards) { Mine = mineCount };
        }
    }

    private sealed class StageCount
    {
        public string Stage { get; init; } = "";
        public long ExtensionRequested { get; init; }
        public long Count { get; init; }
        public long Overdue { get; init; }
        public long NearDue { get; init; }
    }

    private sealed class OrderCounts
    {
        public long Unclosed { get; init; } // OPEN is a keyword of SQL Server's
        public long Issued { get; init; }
    }

    private sealed class OwnCounts
    {
        public long Count { get; init; }
        public long Overdue { get; init; }
        public long NearDue { get; init; }
    }

    private sealed class ClockCounts
    {
        public long Overdue { get; init; }
        public long NearDue { get; init; }
    }
}
