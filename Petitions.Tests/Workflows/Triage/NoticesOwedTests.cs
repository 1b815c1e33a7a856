using Petitions.Tests.Support;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Workflows.Triage;

/// <summary>Every step the petitioner is owed in writing has a notice (DOMAIN.md §4): forwarding, referral and not
/// accepting again too; a due date that depends on a year without its holiday table says it is provisional.</summary>
public abstract class NoticesOwedTests(StorageProvider provider, DatabaseServers servers) : WorkflowTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : NoticesOwedTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : NoticesOwedTests(StorageProvider.Postgres, servers);

    [Fact]
    public async Task Forwarding_referral_and_not_accepting_again_each_give_the_petitioner_a_notice()
    {
        var journey = new Journey(Harness);
        var forwarded = await journey.RegisterAsync(subject: "劳动合同工资拖欠");
        await journey.DoAsync(forwarded, "forward", "office", new { organ = "县人力资源和社会保障局" });
        var (referring, _) = await journey.ReferAsync();
        var earlier = await journey.RegisterAsync();
        var duplicate = await journey.RegisterAsync();
        await journey.DoAsync(duplicate, "mark-duplicate", "office", new { earlierCaseNumber = earlier });

        Assert.Equal("县人力资源和社会保障局", (await OnlyNoticeAsync(forwarded, "office", "forwarding")).Details["organ"]);
        Assert.Equal("示范县公安局", (await OnlyNoticeAsync(referring, "city", "referral")).Details["to"]);
        Assert.Equal(earlier, (await OnlyNoticeAsync(duplicate, "office", "not-accepted-again")).Details["earlierCaseNumber"]);
    }

    [Fact]
    public async Task A_provisional_due_date_says_so_on_the_notice()
    {
        var journey = new Journey(Harness);
        var caseNumber = await journey.RegisterAsync();                   // Friday 2026-11-20
        await journey.DoAsync(caseNumber, "accept");                       // 60 days → 2027-01-19: 2027 has no holiday table yet

        var notice = Assert.Single(await Harness.SendAsync(new ListNotices.Query(caseNumber, await journey.ActorAsync("office"))));
        Assert.True(notice.Provisional);
        var printed = await Harness.SendAsync(new GetNotice.Query(caseNumber, notice.Id, await journey.ActorAsync("office")));
        Assert.Equal(("2027-01-19", "true"), (printed.Details["due:handling"], printed.Details["provisional:handling"]));

        Harness.Clock.Set(ManualClock.Shanghai(2026, 7, 1));                // an acceptance whose 60 days end within 2026
        var settled = await journey.RegisterAsync(subject: "户籍迁移办理缓慢");
        await journey.DoAsync(settled, "accept");
        Assert.False(Assert.Single(await Harness.SendAsync(new ListNotices.Query(settled, await journey.ActorAsync("office")))).Provisional);
    }

    private async Task<GetNotice.Response> OnlyNoticeAsync(string caseNumber, string user, string kind)
    {
        var actor = await Harness.ActorAsync(user);
        var notice = Assert.Single(await Harness.SendAsync(new ListNotices.Query(caseNumber, actor)));
        Assert.Equal(kind, notice.Kind);
        return await Harness.SendAsync(new GetNotice.Query(caseNumber, notice.Id, actor));
    }
}
