using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Domain;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Deadlines;

/// <summary>
/// One pass of the deadline sweep: reads the clocks whose next warning is due (an index range on their check day,
/// so nothing due costs one index probe however many clocks are open), and escalates each in a transaction of its
/// own. What a stopped service missed is simply due now, so the next pass catches it up.
/// </summary>
public static class SweepClocks
{
    public sealed record Command(int BatchSize = 500) : IRequest<Result>;

    public sealed record Result(int NearDue, int Overdue, int Skipped);

    public sealed class Handler(Database database, IServiceScopeFactory scopes, TimeProvider time) : IRequestHandler<Command, Result>
    {
        public async Task<Result> Handle(Command command, CancellationToken ct)
        {
            int nearDue = 0, overdue = 0, skipped = 0;
            var seen = new HashSet<long>();
            while (true)
            {
                var today = ShanghaiTime.DateOf(time.GetUtcNow());
                IReadOnlyList<long> due;
                await using (var session = new DbSession(database))
                {
                    due = await session.QueryAsync<long>(
                        database.Dialect.Limit(
                            """
                            SELECT id
                            FROM clocks
                            WHERE next_check_on <= @Today
                            ORDER BY next_check_on, id
                            """,
                            "@BatchSize"),
                        new { Today = today, command.BatchSize }, ct);
                }
                var fresh = due.Where(seen.Add).ToList();
                foreach (var clockId in fresh)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    try
                    {
                        var outcome = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new EscalateClock.Command(clockId), ct);
                        if (outcome == Codes.Of(WarningLevel.NearDue)) nearDue++;
                        else if (outcome == Codes.Of(WarningLevel.Overdue)) overdue++;
                        else skipped++;
                    }
                    catch (Exception e) when (e is ConcurrencyConflictException || database.Dialect.IsUniqueViolation(e))
                    {
                        skipped++; // someone acted on the petition, or another instance warned first: the next pass decides
                    }
                }
                // A clock warned amber may be due red in the same pass (after downtime); ids already seen wait for the next pass.
                if (due.Count < command.BatchSize || fresh.Count == 0) return new Result(nearDue, overdue, skipped);
            }
        }
    }
}
