using Petitions.Domain;
using Petitions.Tests.Support;
using Petitions.Workflows.Features.Administration;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Features.Supervision;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Workflows.Petitions;

/// <summary>
/// Every optional filter, sort and page of the staff lists, each on its own and all together: each narrows what it
/// names. These are also the statements the SQL Server proof renders for each branch (docs/decisions/0012).
/// </summary>
public abstract class ListFilterTests(StorageProvider provider, DatabaseServers servers) : WorkflowTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : ListFilterTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : ListFilterTests(StorageProvider.Postgres, servers);

    private async Task<string[]> ListAsync(ListPetitions.Query query) =>
        (await Harness.SendAsync(query with { Actor = await Harness.ActorAsync("office") })).Items.Select(i => i.CaseNumber).ToArray();

    [Fact]
    public async Task Each_filter_of_the_petition_list_narrows_it()
    {
        var journey = new Journey(Harness);
        var noise = await journey.RegisterAsync(subject: "噪音扰民");
        var road = await journey.RegisterAsync(subject: "道路破损");
        var today = ShanghaiTime.DateOf(Harness.Clock.GetUtcNow());

        Assert.Equal([road, noise], await ListAsync(new() { Stage = "registered" }));
        Assert.Empty(await ListAsync(new() { Stage = "in-handling" }));
        Assert.Empty(await ListAsync(new() { ExtensionRequested = true }));
        Assert.Empty(await ListAsync(new() { Unit = "330799-01" }));
        Assert.Equal([road, noise], await ListAsync(new() { Category = "complaint" }));
        Assert.Empty(await ListAsync(new() { Channel = "letter" }));
        Assert.Equal([road, noise], await ListAsync(new() { ReceivedFrom = today, ReceivedTo = today }));
        Assert.Empty(await ListAsync(new() { ReceivedFrom = today.AddDays(1) }));
        Assert.Empty(await ListAsync(new() { ReceivedTo = today.AddDays(-1) }));
        Assert.Equal([road], await ListAsync(new() { Text = "道路" }));
        Assert.Equal([noise], await ListAsync(new() { Text = noise }));

        var first = await Harness.SendAsync(new ListPetitions.Query { Limit = 1, Actor = await Harness.ActorAsync("office") });
        Assert.Equal([road], first.Items.Select(i => i.CaseNumber));
        Assert.Equal([noise], await ListAsync(new() { Limit = 1, After = first.Next }));

        Assert.Equal([noise], await ListAsync(new()
        {
            Stage = "registered", Category = "complaint", Channel = "visit", ReceivedFrom = today, ReceivedTo = today, Text = "噪音", After = first.Next,
        }));
    }

    [Fact]
    public async Task Each_filter_of_the_audit_log_narrows_it()
    {
        var journey = new Journey(Harness);
        var caseNumber = await journey.RegisterAsync();
        var admin = await Harness.ActorAsync("admin");
        var today = ShanghaiTime.DateOf(Harness.Clock.GetUtcNow());

        var all = await Harness.SendAsync(new ListAudit.Query(null, null, null, null, null, null, admin));
        var registered = Assert.Single(all, e => e.CaseNumber == caseNumber);
        Assert.Equal([registered.Id], (await Harness.SendAsync(new ListAudit.Query(caseNumber, "reception", today, today, null, null, admin))).Select(e => e.Id));
        Assert.Empty(await Harness.SendAsync(new ListAudit.Query(caseNumber, null, today.AddDays(1), null, null, null, admin)));
        Assert.Empty(await Harness.SendAsync(new ListAudit.Query(caseNumber, null, null, today.AddDays(-1), null, null, admin)));
        Assert.Empty(await Harness.SendAsync(new ListAudit.Query(caseNumber, null, null, null, registered.Id, null, admin)));
    }

    [Fact]
    public async Task The_supervision_boards_filter_by_unit_and_category_and_sort_three_ways()
    {
        var journey = new Journey(Harness);
        var caseNumber = await journey.RegisterAsync();
        await journey.DoAsync(caseNumber, "accept");
        Harness.Clock.Advance(TimeSpan.FromDays(90)); // the handling clock is long past due
        var supervisor = await Harness.ActorAsync("supervisor");

        foreach (var sort in new[] { "days", "unit", "category" })
            Assert.Contains(await Harness.SendAsync(new SupervisionBoard.Query(WarningLevel.Overdue, sort, "330799-01", "complaint", supervisor)), e => e.CaseNumber == caseNumber);
        Assert.DoesNotContain(await Harness.SendAsync(new SupervisionBoard.Query(WarningLevel.Overdue, null, "330799-02", null, supervisor)), e => e.CaseNumber == caseNumber);
        Assert.DoesNotContain(await Harness.SendAsync(new SupervisionBoard.Query(WarningLevel.Overdue, null, null, "suggestion", supervisor)), e => e.CaseNumber == caseNumber);
        Assert.DoesNotContain(await Harness.SendAsync(new SupervisionBoard.Query(WarningLevel.NearDue, null, null, null, supervisor)), e => e.CaseNumber == caseNumber);
    }
}
