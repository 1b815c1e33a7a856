using System.Net;
using Hangfire;
using Hangfire.Client;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;
using Hangfire.Logging;
using Hangfire.Storage;
using Microsoft.Extensions.Options;

namespace Petitions.Api.Hosting;

/// <summary>
/// Pausing recurring jobs, which Hangfire lacks: a paused job's occurrences are not created (so not run, also not by
/// "Trigger now") until it is resumed. Paused from the dashboard (kept in Hangfire's storage, so every instance sees
/// it), or by configuration (<c>Jobs:Paused</c>, which the dashboard cannot resume).
/// </summary>
public sealed class PausedJobs(IOptions<JobsOptions> options) : IClientFilter
{
    private const string Set = "petitions:paused-recurring-jobs";

    public IReadOnlySet<string> ByConfiguration { get; } = options.Value.PausedIds;

    public bool IsPaused(IStorageConnection connection, string recurringJobId) =>
        ByConfiguration.Contains(recurringJobId) || connection.GetAllItemsFromSet(Set).Contains(recurringJobId);

    public void OnCreating(CreatingContext context)
    {
        if (context.Parameters.TryGetValue("RecurringJobId", out var id) && id is string recurringJobId && IsPaused(context.Connection, recurringJobId))
            context.Canceled = true;
    }

    public void OnCreated(CreatedContext context) { }

    public IReadOnlySet<string> PausedInStorage(IStorageConnection connection) => connection.GetAllItemsFromSet(Set);

    public static void Pause(JobStorage storage, string recurringJobId) => Change(storage, recurringJobId, pause: true);

    public static void Resume(JobStorage storage, string recurringJobId) => Change(storage, recurringJobId, pause: false);

    private static void Change(JobStorage storage, string recurringJobId, bool pause)
    {
        using var connection = storage.GetConnection();
        if (connection.GetRecurringJobs([recurringJobId]).All(j => j.Removed)) return; // not a recurring job of ours
        using var transaction = connection.CreateWriteTransaction();
        if (pause) transaction.AddToSet(Set, recurringJobId);
        else transaction.RemoveFromSet(Set, recurringJobId);
        transaction.Commit();
    }
}

/// <summary>
/// The dashboard's page for pausing and resuming recurring jobs (<c>/jobs/paused</c>), with Hangfire's own list
/// controls; its commands, like Hangfire's, answer 401 in read-only mode.
/// </summary>
internal sealed class PausePage : RazorPage
{
    private static readonly Lock Registering = new();
    private static bool _registered;

    /// <summary>Hangfire's routes and menu are process-wide; the page and its commands are added once.</summary>
    public static void Register()
    {
        lock (Registering)
        {
            if (_registered) return;
            DashboardRoutes.Routes.AddRazorPage("/paused", _ => new PausePage());
            DashboardRoutes.Routes.AddBatchCommand("/paused/pause", (context, id) => PausedJobs.Pause(context.Storage, id));
            DashboardRoutes.Routes.AddBatchCommand("/paused/resume", (context, id) => PausedJobs.Resume(context.Storage, id));
            NavigationMenu.Items.Add(page => new MenuItem("Pause / resume", page.Url.To("/paused")) { Active = page.RequestPath.StartsWith("/paused", StringComparison.Ordinal) });
            _registered = true;
        }
    }

    public override void Execute()
    {
        Layout = new LayoutPage("Pause / resume");
        var paused = Context.GetHttpContext().RequestServices.GetRequiredService<PausedJobs>();
        using var connection = Storage.GetConnection();
        var jobs = connection.GetRecurringJobs();
        var inStorage = paused.PausedInStorage(connection);
        WriteLiteral("""<div class="row"><div class="col-md-12"><h1 class="page-header">Pause / resume recurring jobs</h1><div class="js-jobs-list">""");
        if (!IsReadOnly)
        {
            WriteLiteral($"""
                <div class="btn-toolbar btn-toolbar-top">
                <button class="js-jobs-list-command btn btn-sm btn-default" data-url="{Encode(Url.To("/paused/pause"))}" data-loading-text="…" disabled="disabled">Pause</button>
                <button class="js-jobs-list-command btn btn-sm btn-default" data-url="{Encode(Url.To("/paused/resume"))}" data-loading-text="…" disabled="disabled">Resume</button>
                </div>
                """);
        }
        WriteLiteral("""<div class="table-responsive"><table class="table"><thead><tr>""");
        if (!IsReadOnly) WriteLiteral("""<th class="min-width"><input type="checkbox" class="js-jobs-list-select-all"></th>""");
        WriteLiteral("<th>Id</th><th>Cron</th><th>State</th></tr></thead><tbody>");
        foreach (var job in jobs)
        {
            var state = paused.ByConfiguration.Contains(job.Id) ? "paused by configuration (Jobs:Paused)"
                : inStorage.Contains(job.Id) ? "paused"
                : "running";
            WriteLiteral("""<tr class="js-jobs-list-row">""");
            if (!IsReadOnly) WriteLiteral($"""<td><input type="checkbox" class="js-jobs-list-checkbox" name="jobs[]" value="{Encode(job.Id)}"></td>""");
            WriteLiteral($"<td>{Encode(job.Id)}</td><td><code>{Encode(job.Cron)}</code></td><td data-state=\"{Encode(state)}\">{Encode(state)}</td></tr>");
        }
        WriteLiteral("</tbody></table></div></div></div></div>");
    }

    private static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");
}

/// <summary>
/// Hangfire logs through one process-wide provider. This one forwards to the logger factory of the host that set it
/// last, and drops lines once that host is gone, so hosts that come and go in one process (tests) never leave
/// Hangfire a disposed factory.
/// </summary>
internal sealed class HangfireLogs : ILogProvider
{
    public static HangfireLogs Instance { get; } = new();

    private static ILoggerFactory? _factory;

    public static void Use(ILoggerFactory factory) => _factory = factory;

    public ILog GetLogger(string name) => new Forwarder(name);

    private sealed class Forwarder(string name) : ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            ILogger logger;
            try
            {
                if (_factory is not { } factory) return false;
                logger = factory.CreateLogger(name);
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
            var level = logLevel switch
            {
                Hangfire.Logging.LogLevel.Trace => Microsoft.Extensions.Logging.LogLevel.Trace,
                Hangfire.Logging.LogLevel.Debug => Microsoft.Extensions.Logging.LogLevel.Debug,
                Hangfire.Logging.LogLevel.Info => Microsoft.Extensions.Logging.LogLevel.Information,
                Hangfire.Logging.LogLevel.Warn => Microsoft.Extensions.Logging.LogLevel.Warning,
                Hangfire.Logging.LogLevel.Error => Microsoft.Extensions.Logging.LogLevel.Error,
                _ => Microsoft.Extensions.Logging.LogLevel.Critical,
            };
            if (messageFunc is null) return logger.IsEnabled(level);
            if (!logger.IsEnabled(level)) return false;
#pragma warning disable CA1848, CA2254 // Hangfire hands over finished text
            logger.Log(level, exception, messageFunc());
#pragma warning restore CA1848, CA2254
            return true;
        }
    }
}
