using MediatR;
using Petitions.Workflows.Features.Deadlines;
using Quartz;

namespace Petitions.Api.Hosting;

/// <summary>
/// Quartz drives two recurring jobs: the deadline sweep and the outbox dispatcher, every
/// <c>Deadlines:SweepInterval</c> (default 5 s); <c>Deadlines:SweepEnabled</c> turns both off. The deadlines
/// themselves are rows of ours, so nothing is loaded or scheduled per clock at startup, and every instance may run
/// the jobs: row locks share the work.
/// </summary>
public static class Scheduling
{
    public static WebApplicationBuilder AddDeadlineJobs(this WebApplicationBuilder builder)
    {
        if (!builder.Configuration.GetValue("Deadlines:SweepEnabled", true)) return builder;
        var interval = builder.Configuration.GetValue("Deadlines:SweepInterval", TimeSpan.FromSeconds(5));
        builder.Services.AddQuartz(quartz =>
        {
            Every<SweepJob>(quartz, "deadline-sweep", interval);
            Every<OutboxJob>(quartz, "outbox-dispatch", interval);
        });
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return builder;
    }

    private static void Every<TJob>(IQuartzBuilder quartz, string name, TimeSpan interval) where TJob : IJob
    {
        quartz.AddJob<TJob>(job => job.WithIdentity(name));
        quartz.AddTrigger(trigger => trigger.ForJob(name).StartNow().WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever()));
    }

    [DisallowConcurrentExecution]
    private sealed class SweepJob(IServiceScopeFactory scopes) : IJob
    {
        public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new SweepClocks.Command(), cancellationToken);
        }
    }

    [DisallowConcurrentExecution]
    private sealed class OutboxJob(IServiceScopeFactory scopes) : IJob
    {
        public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new DispatchOutbox.Command(), cancellationToken);
        }
    }
}
