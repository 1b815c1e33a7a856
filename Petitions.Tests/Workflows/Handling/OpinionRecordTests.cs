using Petitions.Tests.Support;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Workflows.Handling;

/// <summary>The opinion on the record: whoever reviews a draft reads it in the staff record; a returned draft keeps its
/// text and the reviewer's reason for the unit to revise; every version is kept.</summary>
public abstract class OpinionRecordTests(StorageProvider provider, DatabaseServers servers) : WorkflowTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : OpinionRecordTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : OpinionRecordTests(StorageProvider.Postgres, servers);

    [Fact]
    public async Task The_draft_its_return_and_every_version_are_on_the_record()
    {
        var journey = new Journey(Harness);
        var caseNumber = await journey.RegisterAsync();
        await journey.DoAsync(caseNumber, "accept");
        await journey.DoAsync(caseNumber, "submit-opinion", payload: new { outcome = "explain", text = "初稿：已责令施工方整改。" });

        var leader = await journey.ActorAsync("leader");
        var draft = (await Harness.SendAsync(new GetPetition.Query(caseNumber, leader))).Opinion!;
        Assert.Equal(("explain", "初稿：已责令施工方整改。", (DateOnly?)null), (draft.Outcome, draft.Text, draft.IssuedOn)); // the leader reads what to approve
        Assert.Null(Assert.Single(draft.Versions).Decision);

        await journey.DoAsync(caseNumber, "return-opinion", "leader", new { reason = "请补充调查笔录" });
        var returned = (await Harness.SendAsync(new GetPetition.Query(caseNumber, await journey.ActorAsync("handler")))).Opinion!;
        Assert.Equal("初稿：已责令施工方整改。", returned.Text); // kept for the unit to revise
        Assert.Equal(("returned", "请补充调查笔录"), (returned.Versions[0].Decision, returned.Versions[0].Reason));

        Harness.Clock.Advance(TimeSpan.FromDays(2));
        await journey.DoAsync(caseNumber, "submit-opinion", payload: new { outcome = "support", text = "经调查属实，已责令施工方夜间停工。" });
        await journey.DoAsync(caseNumber, "approve-opinion", "leader", new { comment = "同意" });

        var issued = (await Harness.SendAsync(new GetPetition.Query(caseNumber, await journey.ActorAsync("office")))).Opinion!;
        Assert.Equal(("support", new DateOnly(2026, 11, 22)), (issued.Outcome, issued.IssuedOn));
        Assert.Equal(
            [("explain", "returned", "请补充调查笔录"), ("support", "approved", "同意")],
            issued.Versions.Select(v => (v.Outcome, v.Decision!, v.Reason!)));
        Assert.All(issued.Versions, v => Assert.Equal("handling", v.Level));
    }
}
