using Petitions.Domain;
using Petitions.Tests.Support;
using Petitions.Workflows;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Workflows.Triage;

/// <summary>
/// Repeat petitions (同人同事, DOMAIN.md §4): the same person's same matter is not accepted again while it is being
/// handled (TL2022 Art 19 ¶3) or once final (Art 36 ¶3); the refusal names the earlier case and the office marks the
/// petition a duplicate, or accepts it with the reason it is a different matter. The same person is any petitioner,
/// co-signer or representative of either petition.
/// </summary>
public abstract class RepeatPetitionTests(StorageProvider provider, DatabaseServers servers) : WorkflowTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : RepeatPetitionTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : RepeatPetitionTests(StorageProvider.Postgres, servers);

    [Fact]
    public async Task A_repeat_within_the_handling_period_is_refused_and_marked_not_accepted_again()
    {
        var journey = new Journey(Harness);
        var person = TestData.AnotherPerson();
        var earlier = await RegisterAsync(journey, person, "邻居夜间施工噪音扰民");
        await journey.DoAsync(earlier, "accept");
        var again = await RegisterAsync(journey, person, "邻居夜间施工噪音扰民问题");

        var refused = await Assert.ThrowsAsync<RuleViolationException>(() => journey.DoAsync(again, "accept"));
        Assert.Equal(("repeat-in-handling", earlier), (refused.Rule, refused.RelatedCaseNumber));
        Assert.Contains(earlier, refused.Message, StringComparison.Ordinal);
        Assert.Equal(Stage.Registered, (await journey.StateAsync(again)).Stage); // nothing changed

        var marked = await journey.DoAsync(again, "mark-duplicate", "office", new { earlierCaseNumber = earlier });
        var notice = await Harness.SendAsync(new GetNotice.Query(again, Assert.Single(marked.Notices), await journey.ActorAsync("office")));
        Assert.Equal(("not-accepted-again", earlier, "false"), (notice.Kind, notice.Details["earlierCaseNumber"], notice.Details["earlierFinal"]));
    }

    [Fact]
    public async Task A_repeat_after_finality_is_refused_and_accepted_only_with_the_reason_it_differs()
    {
        var journey = new Journey(Harness);
        var person = TestData.AnotherPerson();
        var earlier = await RegisterAsync(journey, person, "邻居夜间施工噪音扰民");
        foreach (var step in Journey.MainRoute) await journey.DoAsync(earlier, step);
        Assert.Equal(Stage.Final, (await journey.StateAsync(earlier)).Stage);
        var again = await RegisterAsync(journey, person, "邻居夜间施工噪音扰民");

        var refused = await Assert.ThrowsAsync<RuleViolationException>(() => journey.DoAsync(again, "accept"));
        Assert.Equal(("repeat-after-final", earlier), (refused.Rule, refused.RelatedCaseNumber));
        await Assert.ThrowsAsync<RuleViolationException>(() => journey.DoAsync(again, "accept", payload: new { unit = "330799-01", differentMatter = "  " }));

        await journey.DoAsync(again, "accept", payload: new { unit = "330799-01", differentMatter = "新开工地，与原事项不同" });
        var accept = (await Harness.SendAsync(new GetPetition.Query(again, await journey.ActorAsync("office")))).Timeline.Single(e => e.Action == "accept");
        Assert.Contains("新开工地，与原事项不同", accept.Comment, StringComparison.Ordinal); // the override's reason is on the record
        Assert.Equal(Stage.InHandling, (await journey.StateAsync(again)).Stage);
    }

    [Fact]
    public async Task A_representative_matches_an_earlier_petitioner_and_the_other_way_round()
    {
        var journey = new Journey(Harness);
        var reception = await journey.ActorAsync("reception");
        var alone = TestData.AnotherPerson();
        var earlier = await RegisterAsync(journey, alone, "小区停车位被占用");
        await journey.DoAsync(earlier, "accept");

        // The earlier petitioner comes back as one of the representatives of a group.
        var group = TestData.Petition(reception, "小区停车位被占用问题") with
        {
            Petitioner = TestData.AnotherPerson(),
            Representatives = [alone with { Name = "王五代表" }, TestData.AnotherPerson() with { Name = "赵六代表" }],
            PeopleCount = 10,
        };
        Assert.Contains(earlier, (await Harness.SendAsync(new FindPossibleDuplicates.Query(group))).Select(d => d.CaseNumber));
        var registered = await Harness.SendAsync(group);
        Assert.False(registered.FirstPetition);
        Assert.Equal(earlier, Assert.Single(registered.PossibleDuplicates).CaseNumber);
        Assert.Equal("repeat-in-handling", (await Assert.ThrowsAsync<RuleViolationException>(() => journey.DoAsync(registered.CaseNumber, "accept"))).Rule);

        // A representative of that group petitions alone on the same matter: it matches the group's petition.
        var representative = group.Representatives![1];
        var afterwards = await Harness.SendAsync(TestData.Petition(reception, "小区停车位被占用") with { Petitioner = representative with { Name = "赵六" } });
        Assert.False(afterwards.FirstPetition);
        Assert.Equal([registered.CaseNumber], afterwards.PossibleDuplicates.Select(d => d.CaseNumber));
        var refused = await Assert.ThrowsAsync<RuleViolationException>(() => journey.DoAsync(afterwards.CaseNumber, "accept"));
        Assert.Equal(("repeat-in-handling", registered.CaseNumber), (refused.Rule, refused.RelatedCaseNumber));

        // Another matter of the same person is a first petition, and accepted.
        var other = await Harness.SendAsync(TestData.Petition(reception, "户籍迁移办理缓慢") with { Petitioner = alone });
        Assert.True(other.FirstPetition);
        await journey.DoAsync(other.CaseNumber, "accept");
    }

    private async Task<string> RegisterAsync(Journey journey, RegisterPetition.PersonInput person, string subject) =>
        (await Harness.SendAsync(TestData.Petition(await journey.ActorAsync("reception"), subject) with { Petitioner = person })).CaseNumber;
}
