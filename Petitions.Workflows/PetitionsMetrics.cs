using System.Diagnostics.Metrics;

namespace Petitions.Workflows;

/// <summary>
/// The service's own meter (<see cref="MeterName"/>), beside ASP.NET Core's: what the workflows did, for
/// <c>/metrics</c>. Tags carry codes only (an action's, a warning level's, an outcome's), never a case number, a
/// person or free text, so no label holds personal data and each has a handful of values.
/// </summary>
public sealed class PetitionsMetrics
{
    public const string MeterName = "Petitions";

    private readonly Counter<long> _registrations;
    private readonly Counter<long> _actions;
    private readonly Counter<long> _sweepPasses;
    private readonly Counter<long> _escalations;
    private readonly Counter<long> _notifications;
    private readonly Counter<long> _refusals;

    public PetitionsMetrics(IMeterFactory meters, Storage.Database database)
    {
        Meter = meters.Create(MeterName);
        database.Work.Observe(Meter);
        _registrations = Meter.CreateCounter<long>("petitions.registrations", "{petition}", "Petitions registered, by channel.");
        _actions = Meter.CreateCounter<long>("petitions.actions", "{action}", "Workflow actions performed, by action code.");
        _sweepPasses = Meter.CreateCounter<long>("petitions.sweep.passes", "{pass}", "Passes of the deadline sweep.");
        _escalations = Meter.CreateCounter<long>("petitions.sweep.escalations", "{warning}", "Warnings the sweep gave, by level.");
        _notifications = Meter.CreateCounter<long>("petitions.notifications", "{notification}", "Notifications handed to the sender, by outcome (sent or failed).");
        _refusals = Meter.CreateCounter<long>("petitions.backpressure.refusals", "{request}", "Requests refused with 503 because the database could take no more work, by reason.");
    }

    public Meter Meter { get; }

    public void Registered(string channel) => _registrations.Add(1, new KeyValuePair<string, object?>("channel", channel));

    public void Acted(string action) => _actions.Add(1, new KeyValuePair<string, object?>("action", action));

    public void SweepPassed() => _sweepPasses.Add(1);

    public void Escalated(int nearDue, int overdue)
    {
        if (nearDue > 0) _escalations.Add(nearDue, new KeyValuePair<string, object?>("level", "near-due"));
        if (overdue > 0) _escalations.Add(overdue, new KeyValuePair<string, object?>("level", "overdue"));
    }

    public void Notified(bool sent) => _notifications.Add(1, new KeyValuePair<string, object?>("outcome", sent ? "sent" : "failed"));

    public void Refused(string reason) => _refusals.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
