using System.Globalization;
using Petitions.Domain;
using Petitions.Tests.Support;
using Petitions.Workflows.Features.Reports;
using static Petitions.Workflows.Features.Reports.ReportSummary;

namespace Petitions.Tests.Workflows.Reports;

/// <summary>
/// The report's numbers counted straight from the rows, in C#, from the definitions in the README: an independent
/// computation to compare the counters and their SQL with. Reads every petition, history entry, clock and order.
/// </summary>
public sealed class DirectCount
{
    public sealed record PetitionRow
    {
        public long Id { get; init; }
        public string CaseNumber { get; init; } = "";
        public long BureauId { get; init; }
        public string BureauPath { get; init; } = "";
        public string Channel { get; init; } = "";
        public string Category { get; init; } = "";
        public string Stage { get; init; } = "";
        public DateTimeOffset ReceivedAt { get; init; }
        public long? AssignedUnitId { get; init; }
        public bool FirstPetition { get; init; }
        public DateOnly? ServedOn { get; init; }
        public long? ReceptionLeaderId { get; init; }
    }

    public sealed record EventRow
    {
        public long Id { get; init; }
        public long PetitionId { get; init; }
        public string Action { get; init; } = "";
        public string? Comment { get; init; }
        public long? OrganizationId { get; init; }
    }

    public sealed record EvaluationRow
    {
        public long PetitionId { get; init; }
        public int Reply { get; init; }
        public string Source { get; init; } = "";
        public string Satisfaction { get; init; } = "";
    }

    public sealed record ClockRow
    {
        public long PetitionId { get; init; }
        public string Kind { get; init; } = "";
        public string State { get; init; } = "";
        public DateOnly StartedOn { get; init; }
        public DateOnly DueOn { get; init; }
        public DateOnly? StoppedOn { get; init; }
        public int ExtraDays { get; init; }
        public long? OrganizationId { get; init; }
    }

    public sealed record OrderRow
    {
        public long PetitionId { get; init; }
        public string State { get; init; } = "";
    }

    public sealed record OrganizationRow
    {
        public long Id { get; init; }
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Path { get; init; } = "";
    }

    private static readonly string[] TriageActions = ["accept", "decline", "divert", "forward", "refer", "mark-duplicate", "object-to-referral"];
    private static readonly string[] RequestWindows = ["review-request", "rereview-request"];

    private IReadOnlyList<PetitionRow> _petitions = [];
    private ILookup<long, EventRow> _events = null!;
    private ILookup<long, ClockRow> _clocks = null!;
    private ILookup<long, OrderRow> _orders = null!;
    private ILookup<long, EvaluationRow> _evaluations = null!;
    private IReadOnlyList<OrganizationRow> _organizations = [];

    public static async Task<DirectCount> ReadAsync(TestDatabase database) => new()
    {
        _petitions = await database.QueryAsync<PetitionRow>(
            """
            SELECT id AS Id, case_number AS CaseNumber, bureau_id AS BureauId, bureau_path AS BureauPath, channel AS Channel, category AS Category,
                   stage AS Stage, received_at AS ReceivedAt, assigned_unit_id AS AssignedUnitId, first_petition AS FirstPetition,
                   served_on AS ServedOn, reception_leader_id AS ReceptionLeaderId
            FROM petitions
            """),
        _events = (await database.QueryAsync<EventRow>(
            "SELECT id AS Id, petition_id AS PetitionId, action AS Action, comment AS Comment, organization_id AS OrganizationId FROM petition_events"))
            .ToLookup(e => e.PetitionId),
        _clocks = (await database.QueryAsync<ClockRow>(
            """
            SELECT petition_id AS PetitionId, kind AS Kind, state AS State, started_on AS StartedOn, due_on AS DueOn,
                   stopped_on AS StoppedOn, extra_days AS ExtraDays, organization_id AS OrganizationId
            FROM clocks
            """)).ToLookup(c => c.PetitionId),
        _evaluations = (await database.QueryAsync<EvaluationRow>(
            "SELECT petition_id AS PetitionId, reply AS Reply, source AS Source, satisfaction AS Satisfaction FROM evaluations"))
            .ToLookup(e => e.PetitionId),
        _orders = (await database.QueryAsync<OrderRow>("SELECT petition_id AS PetitionId, state AS State FROM supervision_orders")).ToLookup(o => o.PetitionId),
        _organizations = await database.QueryAsync<OrganizationRow>("SELECT id AS Id, code AS Code, name AS Name, kind AS Kind, path AS Path FROM organizations"),
    };

    public OrganizationRow Organization(string code) => _organizations.Single(o => o.Code == code);

    /// <summary>The petitions received in the period (Shanghai dates) by the organization's subtree, or assigned to the unit.</summary>
    public IReadOnlyList<PetitionRow> InScope(string org, DateOnly from, DateOnly to)
    {
        var organization = Organization(org);
        return _petitions
            .Where(p => organization.Kind == "unit" ? p.AssignedUnitId == organization.Id : p.BureauPath.StartsWith(organization.Path, StringComparison.Ordinal))
            .Where(p => ShanghaiTime.DateOf(p.ReceivedAt) is var day && day >= from && day <= to)
            .ToList();
    }

    public string? Triage(PetitionRow p) =>
        p.Stage == "registered" ? null : _events[p.Id].Where(e => TriageActions.Contains(e.Action)).MaxBy(e => e.Id)?.Action;

    public bool Asked(PetitionRow p, string action) => _events[p.Id].Any(e => e.Action == action);

    /// <summary>Whether something of the petition done in the name of <paramref name="organizationId"/> (its bureau when
    /// null) counts in the report of <paramref name="scope"/>: a review's decision and clock count at the reviewing
    /// organ, and at no unit.</summary>
    private bool CountsAt(OrganizationRow scope, PetitionRow p, long? organizationId)
    {
        var at = organizationId ?? p.BureauId;
        return scope.Kind == "unit"
            ? at == p.BureauId && p.AssignedUnitId == scope.Id
            : _organizations.Single(o => o.Id == at).Path.StartsWith(scope.Path, StringComparison.Ordinal);
    }

    public IEnumerable<string> Outcomes(OrganizationRow scope, PetitionRow p, string decision) =>
        _events[p.Id].Where(e => e.Action == decision && CountsAt(scope, p, e.OrganizationId)).Select(e => e.Comment!);

    private IEnumerable<ClockRow> Clocks(OrganizationRow scope, PetitionRow p) => _clocks[p.Id].Where(c => CountsAt(scope, p, c.OrganizationId));

    public IEnumerable<ClockRow> Completed(OrganizationRow scope, PetitionRow p) =>
        Clocks(scope, p).Where(c => c.State == "stopped" && c.StoppedOn is not null && !RequestWindows.Contains(c.Kind));

    public IEnumerable<ClockRow> OverdueNow(OrganizationRow scope, PetitionRow p, DateOnly today) =>
        Clocks(scope, p).Where(c => c.State is "running" or "overdue" && c.DueOn < today && !RequestWindows.Contains(c.Kind));

    public IEnumerable<ClockRow> Extended(OrganizationRow scope, PetitionRow p) => Clocks(scope, p).Where(c => c.Kind == "handling" && c.ExtraDays > 0);

    public IEnumerable<OrderRow> Orders(PetitionRow p) => _orders[p.Id];

    /// <summary>The satisfaction a report counts: of the petition's last evaluated reply, the petitioner's own where
    /// given, else the return visit's.</summary>
    public string? CountedSatisfaction(PetitionRow p) =>
        _evaluations[p.Id].GroupBy(e => e.Reply).MaxBy(g => g.Key) is { } last
            ? (last.FirstOrDefault(e => e.Source == "petitioner") ?? last.First()).Satisfaction
            : null;

    public bool FirstResolved(PetitionRow p) =>
        p.FirstPetition && Triage(p) == "accept" && p.Stage is "closed" or "final" && !Asked(p, "request-review");

    public Summary Summary(string org, DateOnly from, DateOnly to, DateOnly today)
    {
        var all = InScope(org, from, to);
        long received = all.Count;
        Tally Share(string value, long count) => new(value, count, Rate(count, received));
        IReadOnlyList<Tally> By(IEnumerable<string> values, Func<PetitionRow, string?> of) => values.Select(v => Share(v, all.Count(p => of(p) == v))).ToList();
        var months = new List<string>();
        for (var m = new DateOnly(from.Year, from.Month, 1); m <= to; m = m.AddMonths(1)) months.Add(m.ToString("yyyy-MM", CultureInfo.InvariantCulture));
        var units = all.GroupBy(p => p.AssignedUnitId)
            .Select(g => (Unit: g.Key is { } id ? _organizations.Single(o => o.Id == id) : null, Count: (long)g.Count()))
            .OrderByDescending(u => u.Count).ThenBy(u => u.Unit?.Code, StringComparer.Ordinal)
            .Select(u => new UnitTally(u.Unit?.Code, u.Unit?.Name, u.Count))
            .ToList();
        var organization = Organization(org);
        var completed = all.SelectMany(p => Completed(organization, p)).ToList();
        var handling = completed.Where(c => c.Kind == "handling").ToList();
        long satisfied = all.Count(p => CountedSatisfaction(p) is "satisfied" or "basically-satisfied");
        long evaluated = satisfied + all.Count(p => CountedSatisfaction(p) == "dissatisfied");
        long repeat = all.Count(p => !p.FirstPetition);
        long firstAccepted = all.Count(p => p.FirstPetition && Triage(p) == "accept");
        long resolved = all.Count(FirstResolved);
        long replied = all.Count(p => p.ServedOn is not null);
        long reviewed = all.Count(p => Asked(p, "request-review"));
        long rereviewed = all.Count(p => Asked(p, "request-rereview"));
        IReadOnlyList<Tally> Decisions(string decision, string[] known)
        {
            var outcomes = all.SelectMany(p => Outcomes(organization, p, decision)).ToList();
            return known.Select(o => new Tally(o, outcomes.Count(x => x == o), Rate(outcomes.Count(x => x == o), outcomes.Count))).ToList();
        }
        return new Summary(
            from,
            to,
            new OrganizationView(organization.Code, organization.Name, organization.Kind),
            received,
            months.Select(m => Share(m, all.Count(p => ShanghaiTime.DateOf(p.ReceivedAt).ToString("yyyy-MM", CultureInfo.InvariantCulture) == m))).ToList(),
            By(Codes.All<Channel>(), p => p.Channel),
            By(Codes.All<Category>(), p => p.Category),
            By(Codes.All<Stage>(), p => p.Stage),
            units,
            TriageOutcomes.Select(o => Share(o, all.Count(p => o == "pending" ? p.Stage == "registered" : Triage(p) == o))).ToList(),
            ClockKinds.Select(kind => new ClockFigures(
                kind,
                completed.Count(c => c.Kind == kind),
                completed.Count(c => c.Kind == kind && c.StoppedOn <= c.DueOn),
                completed.Count(c => c.Kind == kind && c.StoppedOn > c.DueOn),
                Rate(completed.Count(c => c.Kind == kind && c.StoppedOn <= c.DueOn), completed.Count(c => c.Kind == kind)),
                all.SelectMany(p => OverdueNow(organization, p, today)).Count(c => c.Kind == kind))).ToList(),
            new HandlingDays(
                handling.Count,
                handling.Sum(c => c.StoppedOn!.Value.DayNumber - c.StartedOn.DayNumber),
                handling.Count == 0 ? null : Math.Round(handling.Average(c => c.StoppedOn!.Value.DayNumber - c.StartedOn.DayNumber), 1)),
            new Extensions(all.SelectMany(p => Extended(organization, p)).Count(), all.SelectMany(p => Extended(organization, p)).Sum(c => c.ExtraDays)),
            new SatisfactionFigures(By(Codes.All<Satisfaction>(), CountedSatisfaction), new Ratio(satisfied, evaluated, Rate(satisfied, evaluated))),
            new Ratio(repeat, received, Rate(repeat, received)),
            new FirstPetitionFigures(all.Count(p => p.FirstPetition), new Ratio(resolved, firstAccepted, Rate(resolved, firstAccepted))),
            new AppealFigures(new Ratio(reviewed, replied, Rate(reviewed, replied)), Decisions("submit-review-opinion", ["uphold", "revise", "order-rehandling"])),
            new AppealFigures(new Ratio(rereviewed, reviewed, Rate(rereviewed, reviewed)), Decisions("submit-rereview-opinion", ["uphold", "revise"])),
            new OrderFigures(all.SelectMany(Orders).Count(o => o.State != "closed"), all.SelectMany(Orders).Count(o => o.State == "closed")),
            new Ratio(all.Count(p => p.ReceptionLeaderId is not null), received, Rate(all.Count(p => p.ReceptionLeaderId is not null), received)));
    }

    /// <summary>The case numbers behind one number: the petitions in scope that the metric and value describe.</summary>
    public IReadOnlyList<string> Cases(string org, DateOnly from, DateOnly to, DateOnly today, string metric, string value)
    {
        var organization = Organization(org);
        bool Clock(PetitionRow p, Func<ClockRow, bool> which) => Completed(organization, p).Any(c => c.Kind == value && which(c));
        Func<PetitionRow, bool> has = metric switch
        {
            "received" => _ => true,
            "channel" => p => p.Channel == value,
            "category" => p => p.Category == value,
            "stage" => p => p.Stage == value,
            "triage" => p => Triage(p) == value,
            "satisfaction" => p => CountedSatisfaction(p) == value,
            "unit" => p => value == "none" ? p.AssignedUnitId is null : p.AssignedUnitId == Organization(value).Id,
            "first" => p => p.FirstPetition,
            "repeat" => p => !p.FirstPetition,
            "first-accepted" => p => p.FirstPetition && Triage(p) == "accept",
            "first-resolved" => FirstResolved,
            "replied" => p => p.ServedOn is not null,
            "reviewed" => p => Asked(p, "request-review"),
            "rereviewed" => p => Asked(p, "request-rereview"),
            "review-outcome" => p => Outcomes(organization, p, "submit-review-opinion").Contains(value),
            "rereview-outcome" => p => Outcomes(organization, p, "submit-rereview-opinion").Contains(value),
            "clock-completed" => p => Clock(p, _ => true),
            "clock-on-time" => p => Clock(p, c => c.StoppedOn <= c.DueOn),
            "clock-late" => p => Clock(p, c => c.StoppedOn > c.DueOn),
            "extended" => p => Extended(organization, p).Any(),
            "leader-reception" => p => p.ReceptionLeaderId is not null,
            "order" => p => Orders(p).Any(o => (o.State == "closed" ? "closed" : "open") == value),
            "overdue" => p => OverdueNow(organization, p, today).Any(c => c.Kind == value),
            _ => throw new ArgumentOutOfRangeException(nameof(metric)),
        };
        return InScope(org, from, to).Where(has).OrderByDescending(p => p.Id).Select(p => p.CaseNumber).ToList();
    }
}
