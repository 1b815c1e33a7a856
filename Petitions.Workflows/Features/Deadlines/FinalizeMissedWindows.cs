using System.Text.Json;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Domain;
using Petitions.Workflows.Features.Actions;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Deadlines;

/// <summary>
/// Petitions whose request window (review or re-review) passed unused become final: each gets the workflow's own
/// <c>finalize</c> action, sent through the mediator by the deciding office as the system (no user), in a
/// transaction of its own, so the action's rules, history, clocks and audit apply as when a person sends it.
/// A petition finalized meanwhile (a second run, a person, another instance) is refused by those same rules and
/// left as it is.
/// </summary>
public static class FinalizeMissedWindows
{
    public sealed record Command(int BatchSize = 500) : IRequest<Result>;

    public sealed record Result(int Finalized, int Skipped);

    public sealed class Handler(Database database, IServiceScopeFactory scopes, TimeProvider time) : IRequestHandler<Command, Result>
    {
        private sealed record Due(string CaseNumber, long HandlingOrgId);

        private static readonly JsonElement NoComment = JsonSerializer.SerializeToElement(new { });

        public async Task<Result> Handle(Command command, CancellationToken ct)
        {
            int finalized = 0, skipped = 0;
            var seen = new HashSet<string>();
            while (true)
            {
                IReadOnlyList<Due> due;
                await using (var session = new DbSession(database))
                {
                    due = await session.QueryAsync<Due>(
                        database.Dialect.Limit(
                            """
                            SELECT p.case_number     AS CaseNumber,
                                   p.handling_org_id AS HandlingOrgId
                            FROM clocks c
                            JOIN petitions p ON p.id = c.petition_id
                            WHERE c.kind IN (@Review, @Rereview)
                              AND c.state <> @Stopped
                              AND c.due_on < @Today
                              AND p.stage = @Closed
                            ORDER BY c.due_on, c.id
                            """,
                            "@BatchSize"),
                        new
                        {
                            Review = Codes.Of(ClockKind.ReviewRequest),
                            Rereview = Codes.Of(ClockKind.RereviewRequest),
                            Stopped = Codes.Of(ClockState.Stopped),
                            Closed = Codes.Of(Stage.Closed),
                            Today = ShanghaiTime.DateOf(time.GetUtcNow()),
                            command.BatchSize,
                        }, ct);
                }
                var fresh = due.Where(d => seen.Add(d.CaseNumber)).ToList();
                foreach (var petition in fresh)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    try
                    {
                        await scope.ServiceProvider.GetRequiredService<IMediator>().Send(
                            new PerformAction.Command(petition.CaseNumber, "finalize", NoComment, System(petition.HandlingOrgId)), ct);
                        finalized++;
                    }
                    catch (Exception e) when (e is ConcurrencyConflictException or RuleViolationException)
                    {
                        skipped++; // finalized or changed meanwhile: its rules decided
                    }
                }
                if (due.Count < command.BatchSize || fresh.Count == 0) return new Result(finalized, skipped);
            }
        }

        /// <summary>The deciding office, acting as the system: no user, so the audit log and history name no person.</summary>
        private static Actor System(long handlingOrgId) => new(null, handlingOrgId, new HashSet<Role> { Role.Office });
    }
}
