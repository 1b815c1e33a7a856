using FluentValidation;
using Petitions.Tests.Support;
using Petitions.Workflows;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Features.Reports;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Workflows.Petitions;

/// <summary>Leadership reception days (局长接待日, TL2022 Art 18): registration records the leader who received the visit,
/// and the report counts the petitions received on such days.</summary>
public abstract class ReceptionDayTests(StorageProvider provider, DatabaseServers servers) : WorkflowTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : ReceptionDayTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : ReceptionDayTests(StorageProvider.Postgres, servers);

    [Fact]
    public async Task A_petition_received_by_a_leader_records_the_leader_and_is_counted()
    {
        var reception = await Harness.ActorAsync("reception");
        var received = await Harness.SendAsync(TestData.Petition(reception) with { ReceivingLeader = "leader" });
        await Harness.SendAsync(TestData.Petition(reception, "户籍迁移办理缓慢") with { Petitioner = TestData.AnotherPerson() });

        Assert.Equal("演示用户 leader", (await Harness.SendAsync(new GetPetition.Query(received.CaseNumber, await Harness.ActorAsync("office")))).ReceivingLeader);
        var leader = await Harness.ActorAsync("leader");
        var report = await Harness.SendAsync(new ReportSummary.Query(null, null, null, leader));
        Assert.Equal((1, 2, 0.5), (report.LeaderReception.Count, report.LeaderReception.Of, report.LeaderReception.Rate));
        var listed = await Harness.SendAsync(new ReportCases.Query { Metric = "leader-reception", Actor = leader });
        Assert.Equal([received.CaseNumber], listed.Items.Select(i => i.CaseNumber));
        // A city leader received it too: a leader of a level above the bureau may receive on its days.
        await Harness.SendAsync(TestData.Petition(reception, "拆迁补偿纠纷") with { Petitioner = TestData.AnotherPerson(), ReceivingLeader = "city" });
    }

    [Fact]
    public async Task Only_a_leader_of_the_bureau_or_above_receives_and_only_visits()
    {
        var reception = await Harness.ActorAsync("reception");
        async Task<string> Invalid(RegisterPetition.Command command) =>
            Assert.Single((await Assert.ThrowsAsync<ValidationException>(() => Harness.SendAsync(command))).Errors).ErrorCode;

        Assert.Equal("not-a-leader", await Invalid(TestData.Petition(reception) with { ReceivingLeader = "office" }));   // not a leader
        Assert.Equal("not-a-leader", await Invalid(TestData.Petition(reception) with { ReceivingLeader = "nobody" }));
        Assert.Equal("reception-day-visit", await Invalid(TestData.Petition(reception) with { Channel = "letter", ReceivingLeader = "leader" }));
        await Assert.ThrowsAsync<ValidationException>(() => Harness.SendAsync(TestData.Petition(Actor.Public) with { Channel = "online", Bureau = "330799", ReceivingLeader = "leader" }));
        var neighbour = await Harness.ActorAsync("reception2"); // the neighbouring county's desk: not its leader
        Assert.Equal("not-a-leader", await Invalid(TestData.Petition(neighbour) with { ReceivingLeader = "leader" }));
        Assert.Equal(0, await Database.CountAsync("petitions", "1 = 1"));
    }
}
