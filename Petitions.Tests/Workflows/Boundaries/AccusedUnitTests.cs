using Petitions.Domain;
using Petitions.Tests.Support;
using Petitions.Workflows;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Workflows.Boundaries;

/// <summary>
/// An accusation reaches neither the unit it accuses nor anything under it, whatever the petitioner wrote, and an
/// accusation that names none of our units is never lost from its bureau's lists (TL2022 Art 28 ¶3, 30 ¶3).
/// </summary>
public abstract class AccusedUnitTests(StorageProvider provider, DatabaseServers servers) : WorkflowTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : AccusedUnitTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : AccusedUnitTests(StorageProvider.Postgres, servers);

    private async Task<string> AccuseAsync(Journey journey, string? written = null, string? code = null, string registrar = "reception") =>
        (await Harness.SendAsync(TestData.Petition(await journey.ActorAsync(registrar)) with
        {
            Category = "accusation",
            Subject = "控告民警违规办案",
            InvolvedUnit = written,
            InvolvedUnitCode = code,
        })).CaseNumber;

    private async Task<IReadOnlyList<string>> TriageQueueAsync(Journey journey, string user = "office") =>
        (await Harness.SendAsync(new ListPetitions.Query { Stage = "registered", Actor = await journey.ActorAsync(user) })).Items.Select(i => i.CaseNumber).ToList();

    [Fact]
    public async Task An_accusation_naming_no_unit_of_ours_stays_in_the_triage_queue()
    {
        var journey = new Journey(Harness);
        var elsewhere = await AccuseAsync(journey, written: "某市场监督管理所");
        var blank = await AccuseAsync(journey);

        var queue = await TriageQueueAsync(journey);

        Assert.Contains(elsewhere, queue);
        Assert.Contains(blank, queue);
        Assert.Contains(elsewhere, await TriageQueueAsync(journey, "leader"));
        Assert.False((await journey.StateAsync(elsewhere)).AccusedUnitToConfirm);
    }

    [Theory]
    [InlineData("城关 派出所")]
    [InlineData("城关派出所")]
    public async Task The_units_own_name_however_spaced_protects_at_once(string written)
    {
        var journey = new Journey(Harness);
        var caseNumber = await AccuseAsync(journey, written);

        Assert.False((await journey.StateAsync(caseNumber)).AccusedUnitToConfirm);
        Assert.Equal("accused-unit", await Refused(() => journey.DoAsync(caseNumber, "accept", "office", new { unit = "330799-01" })));
        await journey.DoAsync(caseNumber, "accept", "office", new { unit = "330799-02" });
    }

    [Theory]
    [InlineData("示范县公安局城关派出所")]
    [InlineData("城关所")]
    [InlineData("城关镇 派出所")]
    public async Task A_resembling_spelling_holds_the_accusation_until_the_office_confirms_and_then_never_lets_it_reach_the_unit(string written)
    {
        var journey = new Journey(Harness);
        var caseNumber = await AccuseAsync(journey, written);
        var office = await journey.ActorAsync("office");

        var record = await Harness.SendAsync(new GetPetition.Query(caseNumber, office));
        Assert.True(record.AccusedUnit!.ToConfirm);
        Assert.Contains(record.AccusedUnit.Resembling, o => o.Code == "330799-01");
        Assert.Contains(caseNumber, await TriageQueueAsync(journey));
        // No unit at all while unconfirmed: neither the one it resembles nor another, and no referral either.
        Assert.Equal("accused-unit-unconfirmed", await Refused(() => journey.DoAsync(caseNumber, "accept", "office", new { unit = "330799-01" })));
        Assert.Equal("accused-unit-unconfirmed", await Refused(() => journey.DoAsync(caseNumber, "accept", "office", new { unit = "330799-02" })));

        await journey.DoAsync(caseNumber, "confirm-accused-unit", "office", new { unit = "330799-01", reason = "即城关派出所" });

        Assert.Equal("accused-unit", await Refused(() => journey.DoAsync(caseNumber, "accept", "office", new { unit = "330799-01" })));
        await journey.DoAsync(caseNumber, "accept", "office", new { unit = "330799-02" });
        Assert.Equal("accused-unit", await Refused(() => journey.DoAsync(caseNumber, "reassign", "office", new { unit = "330799-01", reason = "改派" })));
        var accused = await journey.ActorAsync("handler"); // a user of 城关派出所
        await Assert.ThrowsAsync<NotFoundException>(() => Harness.SendAsync(new GetPetition.Query(caseNumber, accused)));
        Assert.DoesNotContain(caseNumber, (await Harness.SendAsync(new ListPetitions.Query { Actor = accused })).Items.Select(i => i.CaseNumber));
        Assert.Equal("330799-01", (await Harness.SendAsync(new GetPetition.Query(caseNumber, office))).AccusedUnit!.Unit!.Code);
    }

    [Fact]
    public async Task The_office_may_state_that_none_of_our_units_is_meant()
    {
        var journey = new Journey(Harness);
        var caseNumber = await AccuseAsync(journey, "城关所");

        await journey.DoAsync(caseNumber, "confirm-accused-unit", "office", new { unit = "none", reason = "信访人所指为邻县城关派出所" });
        await journey.DoAsync(caseNumber, "accept", "office", new { unit = "330799-01" });

        Assert.Null((await journey.StateAsync(caseNumber)).InvolvedUnitId);
        Assert.Equal("accused-outside-bureau", await Refused(async () =>
            await journey.DoAsync(await AccuseAsync(journey, "城关所"), "confirm-accused-unit", "office", new { unit = "330799", reason = "本局" })));
    }

    [Fact]
    public async Task A_unit_chosen_at_registration_is_protected_at_once()
    {
        var journey = new Journey(Harness);
        var caseNumber = await AccuseAsync(journey, written: "那个所", code: "330799-01");

        Assert.False((await journey.StateAsync(caseNumber)).AccusedUnitToConfirm);
        Assert.Equal("accused-unit", await Refused(() => journey.DoAsync(caseNumber, "accept", "office", new { unit = "330799-01" })));
        // A code outside the bureau is refused as input; the bureau itself is the level above's to register.
        var outside = await Assert.ThrowsAsync<FluentValidation.ValidationException>(() => AccuseAsync(journey, code: "330798"));
        Assert.Equal("InvolvedUnitCode", Assert.Single(outside.Errors).PropertyName);
        Assert.Equal("accused-bureau", await Refused(() => AccuseAsync(journey, code: "330799")));
    }

    [Fact]
    public async Task The_protection_follows_the_matter_into_the_referred_case()
    {
        var journey = new Journey(Harness);
        // The city registers an accusation against a station of the county below it and refers it there.
        var caseNumber = await AccuseAsync(journey, code: "330799-01", registrar: "city");
        await journey.DoAsync(caseNumber, "refer", "city", new { bureau = "330799" });
        var linked = (await Harness.SendAsync(new ListPetitions.Query { Stage = "registered", Actor = await journey.ActorAsync("office") }))
            .Items.Single(i => i.Category == "accusation").CaseNumber;

        Assert.Equal("accused-unit", await Refused(() => journey.DoAsync(linked, "accept", "office", new { unit = "330799-01" })));
        await Assert.ThrowsAsync<NotFoundException>(async () => await Harness.SendAsync(new GetPetition.Query(linked, await journey.ActorAsync("handler"))));
    }

    [Fact]
    public async Task A_matter_is_never_referred_to_the_bureau_it_accuses()
    {
        var journey = new Journey(Harness);
        var caseNumber = await AccuseAsync(journey, code: "330799", registrar: "city");

        Assert.Equal("accused-unit", await Refused(() => journey.DoAsync(caseNumber, "refer", "city", new { bureau = "330799" })));
        Assert.Empty(await TriageQueueAsync(journey)); // no linked case at the county
    }
}
