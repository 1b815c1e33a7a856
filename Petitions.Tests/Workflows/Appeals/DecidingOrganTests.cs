using Petitions.Tests.Support;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Features.Reports;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Workflows.Appeals;

/// <summary>Who decides an appeal signs it (DOMAIN.md §2): the review opinion and its proof of service are the
/// reviewing organ's, the re-review opinion and its proof of service the re-reviewing organ's; the reports count each
/// decision at the organ that took it.</summary>
public abstract class DecidingOrganTests(StorageProvider provider, DatabaseServers servers) : WorkflowTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : DecidingOrganTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : DecidingOrganTests(StorageProvider.Postgres, servers);

    [Fact]
    public async Task Review_and_rereview_notices_are_issued_under_the_deciding_organs_and_counted_there()
    {
        var journey = new Journey(Harness);
        var caseNumber = await journey.RegisterAsync();
        foreach (var step in Journey.MainRoute) await journey.DoAsync(caseNumber, step);

        var notices = await Harness.SendAsync(new ListNotices.Query(caseNumber, await journey.ActorAsync("office")));
        Assert.Equal(
            [
                ("acceptance", "示范县公安局"), ("handling-opinion", "示范县公安局"), ("proof-of-service", "示范县公安局"),
                ("review-opinion", "金华市公安局"), ("proof-of-service", "金华市公安局"),
                ("rereview-opinion", "浙江省公安厅"), ("proof-of-service", "浙江省公安厅"),
            ],
            notices.Select(n => (n.Kind, n.Issuer)));
        // The printed notice carries the organ under its seal.
        var review = await Harness.SendAsync(new GetNotice.Query(caseNumber, notices[3].Id, await journey.ActorAsync("city")));
        Assert.Equal(("金华市公安局", "330700"), (review.Bureau, review.Details["issuerCode"]));

        // The county reports the review asked for; the city its decision; the province the re-review's.
        var county = await SummaryAsync("leader", null);
        Assert.Equal((1, 0L), (county.Review.Rate.Count, county.Review.Outcomes.Sum(o => o.Count)));
        Assert.Equal(0, county.Clocks.Single(c => c.Kind == "review-decision").Completed);
        var city = await SummaryAsync("city", null);
        Assert.Equal(1, city.Review.Outcomes.Single(o => o.Value == "uphold").Count);
        Assert.Equal(0, city.Rereview.Outcomes.Sum(o => o.Count));
        Assert.Equal(1, city.Clocks.Single(c => c.Kind == "review-decision").Completed);
        var province = await SummaryAsync("province", null);
        Assert.Equal((1L, 1L), (province.Review.Outcomes.Sum(o => o.Count), province.Rereview.Outcomes.Single(o => o.Value == "uphold").Count));
        Assert.Equal(1, province.Clocks.Single(c => c.Kind == "rereview-decision").Completed);

        var countyCases = await Harness.SendAsync(new ReportCases.Query { Metric = "review-outcome", Value = "uphold", Actor = await journey.ActorAsync("leader") });
        Assert.Empty(countyCases.Items);
        var cityCases = await Harness.SendAsync(new ReportCases.Query { Metric = "review-outcome", Value = "uphold", Actor = await journey.ActorAsync("city") });
        Assert.Equal([caseNumber], cityCases.Items.Select(i => i.CaseNumber));
    }

    private async Task<ReportSummary.Summary> SummaryAsync(string user, string? org) =>
        await Harness.SendAsync(new ReportSummary.Query("2026-11-20", "2026-11-20", org, await Harness.ActorAsync(user)));
}
