using System.Text.Json;
using FluentValidation;
using Petitions.Tests.Support;
using Petitions.Workflows;
using Petitions.Workflows.Features.Reports;
using Petitions.Workflows.Privacy;
using Petitions.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Petitions.Tests.Workflows.Reports;

public abstract class ReportSummaryTests(StorageProvider provider, DatabaseServers servers) : WorkflowTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : ReportSummaryTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : ReportSummaryTests(StorageProvider.Postgres, servers);

    private static readonly DateOnly Today = ReportPopulation.Today;

    /// <summary>Who asks, for which organization and period: the county's year, one month, two units, the city.</summary>
    private static readonly (string User, string Org, string From, string To)[] Scopes =
    [
        ("leader", "330799", "2026-01-01", "2026-12-31"),
        ("supervisor", "330799", "2026-02-01", "2026-02-28"),
        ("office", "330799-01", "2026-01-01", "2026-11-20"),
        ("office", "330799-02", "2026-01-01", "2026-11-20"),
        ("city", "330700", "2025-12-01", "2026-11-20"),
    ];

    [Fact]
    public async Task Every_number_of_the_summary_equals_a_direct_count()
    {
        await new ReportPopulation(Harness).BuildAsync();
        var direct = await DirectCount.ReadAsync(Database);

        foreach (var (user, org, from, to) in Scopes)
        {
            var actual = await SummaryAsync(user, org, from, to);
            var expected = direct.Summary(org, DateOnly.Parse(from), DateOnly.Parse(to), Today);
            Assert.True(Json(expected) == Json(actual), $"{org} {from}..{to}:\nexpected {Json(expected)}\nactual   {Json(actual)}");
        }

        // The population's own arithmetic, so that the direct count is not wrong in the same way.
        var county = await SummaryAsync("leader", "330799", "2026-01-01", "2026-12-31");
        Assert.Equal(26, county.Received); // not the 2025-12-31 one, the city's own, nor the neighbouring county's
        // accepted (one after a repeat was overridden, one back from its unit), declined, diverted, forwarded, referred,
        // duplicates, an objection to a referral, and three waiting (one a referral never answered).
        Assert.Equal([16, 2, 1, 1, 0, 2, 1, 3], county.Triage.Select(t => t.Count));
        Assert.Equal((5, 26), (county.Repeat.Count, county.Repeat.Of)); // two marked duplicates, one overridden, two accepted anew
        Assert.Equal((2, 7), (county.Review.Rate.Count, county.Review.Rate.Of)); // 7 first replies served, 2 reviews asked for
        Assert.DoesNotContain(county.Review.Outcomes, o => o.Count > 0); // decided at the city
        Assert.Equal((1, 26), (county.LeaderReception.Count, county.LeaderReception.Of));
        Assert.Equal(1, county.Rereview.Rate.Count);
        Assert.Equal((1, 30), (county.Extensions.Granted, county.Extensions.Days));
        Assert.Equal((1, 2), (county.SupervisionOrders.Open, county.SupervisionOrders.Closed));
        Assert.Equal(1, county.Clocks.Single(c => c.Kind == "handling").Late);
        Assert.All(["intake", "handling", "referral-objection", "supervision-response"], kind => Assert.True(county.Clocks.Single(c => c.Kind == kind).OverdueNow > 0, kind));
        var city = await SummaryAsync("city", "330700", "2025-12-01", "2026-11-20");
        Assert.Equal(32, city.Received);
        Assert.Equal([1, 0, 1], city.Review.Outcomes.Select(o => o.Count)); // upheld, and re-handling ordered: the city's own decisions
    }

    [Fact]
    public async Task The_cases_behind_every_number_are_the_ones_it_counts()
    {
        await new ReportPopulation(Harness).BuildAsync();
        var direct = await DirectCount.ReadAsync(Database);
        var leader = await Harness.ActorAsync("leader");
        var summary = await SummaryAsync("leader", "330799", "2026-01-01", "2026-12-31");

        var numbers = new List<(string Metric, string Value)>
        {
            ("received", ""), ("first", ""), ("repeat", ""), ("first-accepted", ""), ("first-resolved", ""),
            ("replied", ""), ("reviewed", ""), ("rereviewed", ""), ("extended", ""), ("order", "open"), ("order", "closed"),
            ("unit", "none"), ("unit", "330799-01"), ("unit", "330799-02"),
        };
        numbers.AddRange(summary.ByChannel.Select(t => ("channel", t.Value)));
        numbers.AddRange(summary.ByCategory.Select(t => ("category", t.Value)));
        numbers.AddRange(summary.ByStage.Select(t => ("stage", t.Value)));
        numbers.AddRange(summary.Triage.Where(t => t.Value != "pending").Select(t => ("triage", t.Value)));
        numbers.AddRange(summary.Satisfaction.Distribution.Select(t => ("satisfaction", t.Value)));
        numbers.AddRange(summary.Review.Outcomes.Select(t => ("review-outcome", t.Value)));
        numbers.AddRange(summary.Rereview.Outcomes.Select(t => ("rereview-outcome", t.Value)));
        foreach (var metric in new[] { "clock-completed", "clock-on-time", "clock-late", "overdue" })
            numbers.AddRange(summary.Clocks.Select(c => (metric, c.Kind)));

        foreach (var (metric, value) in numbers)
        {
            var listed = new List<string>();
            string? after = null;
            do
            {
                var page = await Harness.SendAsync(new ReportCases.Query
                {
                    From = "2026-01-01", To = "2026-12-31", Org = "330799", Metric = metric, Value = value == "" ? null : value, After = after, Limit = 4, Actor = leader,
                });
                listed.AddRange(page.Items.Select(i => i.CaseNumber));
                after = page.Next;
            }
            while (after is not null);
            Assert.True(
                direct.Cases("330799", new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), Today, metric, value).SequenceEqual(listed),
                $"{metric}={value}: {string.Join(", ", listed)}");
        }
        // Where a number counts petitions, the list is exactly as long.
        Assert.Equal(summary.Received, (await Harness.SendAsync(new ReportCases.Query { From = "2026-01-01", To = "2026-12-31", Metric = "received", Limit = 200, Actor = leader })).Items.Count);
    }

    [Fact]
    public async Task The_counters_kept_by_the_actions_equal_a_recount_from_the_facts()
    {
        await new ReportPopulation(Harness).BuildAsync();
        var kept = await CountersAsync();

        Assert.NotEmpty(kept);
        Assert.Equal(await RecountAsync(), kept);
    }

    [Fact]
    public async Task Counters_stay_exact_when_two_instances_take_turns_on_a_petition()
    {
        // Each instance keeps the facts it committed, by version: here keeps the registration's, there the acceptance's,
        // and here must not take its registration facts for what the opinion replaces.
        await using var other = await WorkflowHarness.StartAsync(Database, keys: Harness.Services.GetRequiredService<PersonalDataKeys>());
        var (here, there) = (new Journey(Harness), new Journey(other));
        var caseNumber = await here.RegisterAsync();
        foreach (var (action, i) in Journey.MainRoute.Take(5).Select((a, i) => (a, i)))
            await (i % 2 == 0 ? there : here).DoAsync(caseNumber, action);

        var kept = await CountersAsync();
        Assert.Equal(await RecountAsync(), kept);
        var (id, version) = (await Database.QueryAsync<(long, long)>("SELECT id, version FROM petitions WHERE case_number = @CaseNumber", new { CaseNumber = caseNumber })).Single();
        Assert.Equal((true, false), (
            other.Services.GetRequiredService<CommittedFacts>().TryGet(id, (int)version, out _),
            Harness.Services.GetRequiredService<CommittedFacts>().TryGet(id, (int)version, out _)));
    }

    [Fact]
    public async Task Simultaneous_actions_on_petitions_of_one_day_keep_the_counters_exact()
    {
        var journey = new Journey(Harness);
        var cases = new List<string>();
        for (var i = 0; i < 24; i++) cases.Add(await journey.RegisterAsync(subject: $"同日事项{i}号：{new string((char)('甲' + i), 3)}"));
        await journey.ActorAsync("office");

        // Half accepted, half declined, all at once: they share the day's counter rows in every order.
        await Task.WhenAll(cases.Select((c, i) => Task.Run(() => journey.DoAsync(c, i % 2 == 0 ? "accept" : "decline", "office"))));

        var summary = await SummaryAsync("leader", null, "2026-11-20", "2026-11-20");
        Assert.Equal((24, 12, 12), (summary.Received, summary.Triage.Single(t => t.Value == "accept").Count, summary.Triage.Single(t => t.Value == "decline").Count));
        Assert.Equal((12, 12), (summary.ByStage.Single(s => s.Value == "in-handling").Count, summary.ByStage.Single(s => s.Value == "closed").Count));
        Assert.Equal(0, summary.ByStage.Single(s => s.Value == "registered").Count);
    }

    [Fact]
    public async Task Reports_are_for_leaders_the_office_and_supervisors_within_their_own_subtree()
    {
        await new Journey(Harness).RegisterAsync();

        await Assert.ThrowsAsync<ForbiddenException>(() => SummaryAsync("handler", null, null, null));
        await Assert.ThrowsAsync<ForbiddenException>(() => SummaryAsync("reception", null, null, null));
        await Assert.ThrowsAsync<NotFoundException>(() => SummaryAsync("leader", "330798", null, null));   // the neighbouring county
        await Assert.ThrowsAsync<NotFoundException>(() => SummaryAsync("leader", "330700", null, null));   // the level above
        await Assert.ThrowsAsync<NotFoundException>(() => SummaryAsync("leader", "no-such-org", null, null));
        var defaults = await SummaryAsync("supervisor", null, null, null);
        Assert.Equal(("330799", new DateOnly(2026, 1, 1), Today, 1L), (defaults.Organization.Code, defaults.From, defaults.To, defaults.Received));

        var invalid = await Assert.ThrowsAsync<ValidationException>(() => SummaryAsync("leader", null, "2026-13-01", "2026-01-01"));
        Assert.Equal(["From"], invalid.Errors.Select(e => e.PropertyName).Distinct());
        invalid = await Assert.ThrowsAsync<ValidationException>(() => SummaryAsync("leader", null, "2026-02-01", "2026-01-01"));
        Assert.Equal(["To"], invalid.Errors.Select(e => e.PropertyName).Distinct());
        var leader = await Harness.ActorAsync("leader");
        invalid = await Assert.ThrowsAsync<ValidationException>(() => Harness.SendAsync(new ReportCases.Query { Metric = "colour", Actor = leader }));
        Assert.Equal(["Metric"], invalid.Errors.Select(e => e.PropertyName).Distinct());
        invalid = await Assert.ThrowsAsync<ValidationException>(() => Harness.SendAsync(new ReportCases.Query { Metric = "channel", Actor = leader }));
        Assert.Equal(["Value"], invalid.Errors.Select(e => e.PropertyName).Distinct());
    }

    private async Task<ReportSummary.Summary> SummaryAsync(string user, string? org, string? from, string? to) =>
        await Harness.SendAsync(new ReportSummary.Query(from, to, org, await Harness.ActorAsync(user)));

    /// <summary>The counters recounted from the facts.</summary>
    private async Task<string> RecountAsync()
    {
        await using (var scope = Harness.Services.CreateAsyncScope())
        {
            var session = scope.ServiceProvider.GetRequiredService<DbSession>();
            await session.BeginAsync(TestContext.Current.CancellationToken);
            await ReportCounters.RebuildAsync(session, TestContext.Current.CancellationToken);
            await session.CommitAsync(TestContext.Current.CancellationToken);
        }
        return await CountersAsync();
    }

    private async Task<string> CountersAsync() =>
        string.Join("\n", (await Database.QueryAsync<ReportCounters.Fact>(
            """
            SELECT bureau_id AS BureauId, received_on AS ReceivedOn, unit_id AS UnitId, metric AS Metric, value AS Value, n AS N, amount AS Amount
            FROM report_counts
            WHERE n <> 0 OR amount <> 0
            """)).OrderBy(f => (f.BureauId, f.ReceivedOn, f.UnitId, f.Metric, f.Value)));

    private static string Json(object value) => JsonSerializer.Serialize(value, JsonSerializerOptions.Web);
}
