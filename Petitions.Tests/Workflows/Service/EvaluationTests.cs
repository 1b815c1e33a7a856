using Petitions.Domain;
using Petitions.Tests.Support;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Features.Public;
using Petitions.Workflows.Features.Reports;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Workflows.Service;

/// <summary>
/// Two satisfactions (DOMAIN.md §2): the return visit's record and the petitioner's own evaluation are separate facts,
/// each given once per served reply, in either order; the report counts the petitioner's own where given.
/// </summary>
public abstract class EvaluationTests(StorageProvider provider, DatabaseServers servers) : WorkflowTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : EvaluationTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : EvaluationTests(StorageProvider.Postgres, servers);

    [Fact]
    public async Task Both_evaluations_are_recorded_in_either_order_and_the_petitioners_own_is_counted()
    {
        var journey = new Journey(Harness);
        var reception = await journey.ActorAsync("reception");
        var first = await Harness.SendAsync(TestData.Petition(reception, "噪音扰民") with { Petitioner = TestData.AnotherPerson() });
        var second = await Harness.SendAsync(TestData.Petition(reception, "户籍办理缓慢") with { Petitioner = TestData.AnotherPerson() });
        foreach (var caseNumber in new[] { first.CaseNumber, second.CaseNumber })
            foreach (var step in new[] { "accept", "submit-opinion", "approve-opinion" }) await journey.DoAsync(caseNumber, step);

        // Not before the reply is served: not offered, and refused.
        Assert.False((await LookUpAsync(first.CaseNumber, first.QueryCode)).CanEvaluate);
        await Assert.ThrowsAsync<RuleViolationException>(() => EvaluateAsync(first.CaseNumber, first.QueryCode, "satisfied", null));
        foreach (var caseNumber in new[] { first.CaseNumber, second.CaseNumber }) await journey.DoAsync(caseNumber, "record-service");

        // First: the petitioner evaluates online, then the officer's return visit is recorded all the same.
        Assert.True((await LookUpAsync(first.CaseNumber, first.QueryCode)).CanEvaluate);
        await EvaluateAsync(first.CaseNumber, first.QueryCode, "dissatisfied", "噪音仍未解决");
        Assert.False((await LookUpAsync(first.CaseNumber, first.QueryCode)).CanEvaluate);
        Assert.Equal("already-evaluated", (await Assert.ThrowsAsync<RuleViolationException>(() => EvaluateAsync(first.CaseNumber, first.QueryCode, "satisfied", null))).Rule);
        await journey.DoAsync(first.CaseNumber, "record-return-visit", payload: new { satisfaction = "satisfied", note = "电话回访" });

        // Second: the return visit first, then the petitioner's own evaluation, which the form still offers.
        await journey.DoAsync(second.CaseNumber, "record-return-visit", payload: new { satisfaction = "dissatisfied" });
        Assert.True((await LookUpAsync(second.CaseNumber, second.QueryCode)).CanEvaluate);
        await EvaluateAsync(second.CaseNumber, second.QueryCode, "basically-satisfied", null);

        var office = await journey.ActorAsync("office");
        var one = await Harness.SendAsync(new GetPetition.Query(first.CaseNumber, office));
        Assert.Equal(
            [("petitioner", "dissatisfied", "噪音仍未解决"), ("return-visit", "satisfied", "电话回访")],
            one.Evaluations.Select(e => (e.Source, e.Satisfaction, e.Comment)));
        Assert.All(one.Evaluations, e => Assert.Equal(("handling", 1), (e.Level, e.Reply)));
        Assert.Equal("dissatisfied", one.Satisfaction); // the petitioner's own
        var two = await Harness.SendAsync(new GetPetition.Query(second.CaseNumber, office));
        Assert.Equal([("return-visit", "dissatisfied"), ("petitioner", "basically-satisfied")], two.Evaluations.Select(e => (e.Source, e.Satisfaction)));
        Assert.Equal("basically-satisfied", two.Satisfaction);

        var report = await Harness.SendAsync(new ReportSummary.Query("2026-11-20", "2026-11-20", null, await journey.ActorAsync("leader")));
        Assert.Equal(
            [("satisfied", 0L), ("basically-satisfied", 1L), ("dissatisfied", 1L), ("no-opinion", 0L)],
            report.Satisfaction.Distribution.Select(t => (t.Value, t.Count)));
        Assert.Equal((1, 2), (report.Satisfaction.Rate.Count, report.Satisfaction.Rate.Of));
    }

    [Fact]
    public async Task A_review_opinion_is_a_reply_of_its_own_to_evaluate()
    {
        var journey = new Journey(Harness);
        var registered = await Harness.SendAsync(TestData.Petition(await journey.ActorAsync("reception")) with { Petitioner = TestData.AnotherPerson() });
        foreach (var step in Journey.MainRoute.Take(5)) await journey.DoAsync(registered.CaseNumber, step); // visited: satisfied
        await EvaluateAsync(registered.CaseNumber, registered.QueryCode, "no-opinion", null);
        foreach (var step in Journey.MainRoute.Skip(5).Take(3)) await journey.DoAsync(registered.CaseNumber, step); // the review opinion served

        Assert.True((await LookUpAsync(registered.CaseNumber, registered.QueryCode)).CanEvaluate);
        await EvaluateAsync(registered.CaseNumber, registered.QueryCode, "dissatisfied", "复查仍未解决");
        var record = await Harness.SendAsync(new GetPetition.Query(registered.CaseNumber, await journey.ActorAsync("office")));
        Assert.Equal(
            [(1, "handling", "return-visit"), (1, "handling", "petitioner"), (2, "review", "petitioner")],
            record.Evaluations.Select(e => (e.Reply, e.Level, e.Source)));
        Assert.Equal("dissatisfied", record.Satisfaction); // the last evaluated reply's
    }

    private Task<LookUpPetition.Response> LookUpAsync(string caseNumber, string queryCode) => Harness.SendAsync(new LookUpPetition.Query(caseNumber, queryCode));

    private Task<EvaluatePetition.Response> EvaluateAsync(string caseNumber, string queryCode, string satisfaction, string? comment) =>
        Harness.SendAsync(new EvaluatePetition.Command(caseNumber, queryCode, satisfaction, comment));
}
