using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Domain;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Deadlines;

/// <summary>
/// One pass of the deadline sweep: claims the clocks whose next warning is due (an index range on their check day,
/// so nothing due costs one index probe however many clocks are open) a batch at a time, and escalates each batch in
/// one transaction (<see cref="EscalateClock.Due"/>). Every clock escalated moves its check day past today, so the
/// pass ends when a batch comes back short. What a stopped service missed is simply due now, so the next pass catches
/// it up. Instances sweeping at once claim disjoint batches.
/// </summary>
public static class SweepClocks
{
    public sealed record Command(int BatchSize = 500) : IRequest<Result>;

    public sealed record Result(int NearDue, int Overdue, int Skipped);

    public sealed class Handler(Database database, IServiceScopeFactory scopes, TimeProvider time, PetitionsMetrics metrics) : IRequestHandler<Command, Result>
    {
        public async Task<Result> Handle(Command command, CancellationToken ct)
        {
            var total = new Result(0, 0, 0);
            try
            {
                while (true)
                {
                    EscalateClock.Batch batch;
                    try
                    {
                        batch = await SendAsync(new EscalateClock.Due(command.BatchSize), ct);
                    }
                    catch (Exception e) when (database.Dialect.IsUniqueViolation(e))
                    {
                        // A warning the key already holds: the batch rolled back whole; the rest of this pass goes one
                        // clock at a time, so that one is skipped and the others are still warned.
                        return Add(total, await OneByOneAsync(command.BatchSize, ct));
                    }
                    total = Add(total, new Result(batch.NearDue, batch.Overdue, batch.Skipped));
                    metrics.Escalated(batch.NearDue, batch.Overdue);
                    if (batch.Claimed < command.BatchSize) return total;
                }
            }
            finally
            {
                metrics.SweepPassed();
            }
        }

        private async Task<Result> OneByOneAsync(int batchSize, CancellationToken ct)
        {
            int nearDue = 0, overdue = 0, skipped = 0;
            var seen = new HashSet<long>();
            while (true)
            {
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
                        new { Today = ShanghaiTime.DateOf(time.GetUtcNow()), BatchSize = batchSize }, ct);
                }
                var fresh = due.Where(seen.Add).ToList();
                foreach (var clockId in fresh)
                {
                    try
                    {
                        var outcome = await SendAsync(new EscalateClock.Command(clockId), ct);
                        if (outcome == Codes.Of(WarningLevel.NearDue)) nearDue++;
                        else if (outcome == Codes.Of(WarningLevel.Overdue)) overdue++;
                        else skipped++;
                    }
                    catch (Exception e) when (e is ConcurrencyConflictException || database.Dialect.IsUniqueViolation(e))
                    {
                        skipped++;
                    }
                }
                if (due.Count >= batchSize && fresh.Count > 0) continue;
                metrics.Escalated(nearDue, overdue);
                return new Result(nearDue, overdue, skipped);
            }
        }

        private async Task<T> SendAsync<T>(IRequest<T> request, CancellationToken ct)
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request, ct);
        }

        private static Result Add(Result a, Result b) => new(a.NearDue + b.NearDue, a.Overdue + b.Overdue, a.Skipped + b.Skipped);
    }
}
