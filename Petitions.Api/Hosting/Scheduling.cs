using MediatR;
using Petitions.Workflows.Features.Deadlines;
using Quartz;

namespace Petitions.Api.Hosting;

/// <summary>
/// Quartz drives the deadline sweep and the outbox dispatcher every <c>Deadlines:SweepInterval</c> (default 5 s),
/// and the daily digest by <c>Deadlines:DigestCron</c> (default 08:00 Shanghai time); <c>Deadlines:SweepEnabled</c>
/// turns all three off. The deadlines
/// themselves are rows of ours, so nothing is loaded or scheduled per clock at startup, and every instance may run
/// the jobs: row locks share the work.
/// </summary>
public static class Scheduling
{
    public static WebApplicationBuilder AddDeadlineJobs(this WebApplicationBuilder builder)
    {
        if (!builder.Configuration.GetValue("Deadlines:SweepEnabled", true)) return builder;
        var interval = builder.Configuration.GetValue("Deadlines:SweepInterval", TimeSpan.FromSeconds(5));
        var digestCron = builder.Configuration.GetValue("Deadlines:DigestCron", "0 0 8 * * ?")!; // 08:00 Shanghai time
        builder.Services.AddQuartz(quartz =>
        {
            Every<SweepJob>(quartz, "deadline-sweep", interval);
            Every<OutboxJob>(quartz, "outbox-dispatch", interval);
            quartz.AddJob<DigestJob>(job => job.WithIdentity("daily-digest"));
            quartz.AddTrigger(trigger => trigger.ForJob("daily-digest")
                .WithCronSchedule(digestCron, cron => cron.InTimeZone(ChinaStandardTime)));
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

    // UTC+8 without daylight saving, as ShanghaiTime explains; independent of the host's time-zone data.
    private static readonly TimeZoneInfo ChinaStandardTime =
        TimeZoneInfo.CreateCustomTimeZone("China Standard Time", Petitions.Domain.ShanghaiTime.Offset, "China Standard Time", "China Standard Time");

    [DisallowConcurrentExecution]
    private sealed class DigestJob(IServiceScopeFactory scopes) : IJob
    {
        public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new Petitions.Workflows.Features.Supervision.RecordDailyDigest.Command(), cancellationToken);
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
