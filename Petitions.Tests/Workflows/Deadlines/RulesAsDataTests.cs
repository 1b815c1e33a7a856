using FluentValidation;
using Petitions.Domain;
using Petitions.Tests.Support;
using Petitions.Workflows;
using Petitions.Workflows.Features.Administration;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Workflows.Deadlines;

public abstract class RulesAsDataTests(StorageProvider provider, DatabaseServers servers) : WorkflowTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : RulesAsDataTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : RulesAsDataTests(StorageProvider.Postgres, servers);

    private static IReadOnlyList<ClockRuleInput> Rules(Func<ClockRule, ClockRule>? change = null) =>
        Enum.GetValues<ClockKind>().Select(DeadlinePolicy.National.Rule).Select(change ?? (r => r))
            .Select(r => new ClockRuleInput(Codes.Of(r.Kind), r.Days, Codes.Of(r.Count), r.RollForward, r.WarningLeadDays)).ToList();

    [Fact]
    public async Task The_shipped_holiday_tables_are_the_ones_of_the_domain_reference()
    {
        var admin = await Harness.ActorAsync("admin");
        var shipped = new List<HolidayDay>();
        foreach (var year in new[] { 2025, 2026 }) shipped.AddRange((await Harness.SendAsync(new GetHolidayTable.Query(year, admin))).Days);

        Assert.Equal(HolidayCalendar.National.Days.Select(d => new HolidayDay(d.Date, d.IsOffDay, d.Name)), shipped);
        Assert.False((await Harness.SendAsync(new GetHolidayTable.Query(2027, admin))).HasTable);
    }

    [Fact]
    public async Task A_published_table_makes_that_years_deadlines_definite()
    {
        var journey = new Journey(Harness);
        Harness.Clock.Set(ManualClock.Shanghai(2026, 12, 25));
        var before = await Harness.SendAsync(TestData.Petition(await journey.ActorAsync("reception")));

        await Harness.SendAsync(new PublishHolidayTable.Command(2027,
            [new(new DateOnly(2027, 1, 1), true, "元旦"), new(new DateOnly(2027, 1, 2), true, "元旦"), new(new DateOnly(2027, 1, 3), true, "元旦")],
            await journey.ActorAsync(TestData.ProvinceAdmin)));
        var after = await Harness.SendAsync(TestData.Petition(await journey.ActorAsync("reception")));

        Assert.Equal((new DateOnly(2027, 1, 11), true), (before.IntakeDueOn, before.IntakeDueProvisional)); // 01-09 is a Saturday
        Assert.Equal((new DateOnly(2027, 1, 11), false), (after.IntakeDueOn, after.IntakeDueProvisional));
    }

    [Fact]
    public async Task A_province_policy_applies_to_new_petitions_below_it_and_running_ones_keep_theirs()
    {
        var journey = new Journey(Harness);
        var admin = await journey.ActorAsync(TestData.ProvinceAdmin);
        var old = await Harness.SendAsync(TestData.Petition(await journey.ActorAsync("reception")));

        // Zhejiang 2016 style: triage in 5 working days, handling in 30 days.
        var published = await Harness.SendAsync(new PublishDeadlinePolicy.Command("330000", Rules(r => r.Kind switch
        {
            ClockKind.Intake => r with { Days = 5, Count = DayCount.Working, WarningLeadDays = 1 },
            ClockKind.Handling => r with { Days = 30 },
            _ => r,
        }), admin));
        var fresh = await Harness.SendAsync(TestData.Petition(await journey.ActorAsync("reception")) with { Petitioner = TestData.AnotherPerson() });
        await journey.DoAsync(old.CaseNumber, "accept");
        await journey.DoAsync(fresh.CaseNumber, "accept");

        Assert.Equal(1, published.Version);
        Assert.Equal(new DateOnly(2026, 12, 7), old.IntakeDueOn);    // 15 days from Friday 11-20
        Assert.Equal(new DateOnly(2026, 11, 27), fresh.IntakeDueOn); // 5 working days
        Assert.Equal(new DateOnly(2027, 1, 19), (await journey.StateAsync(old.CaseNumber)).OpenClock(ClockKind.Handling)!.DueOn);
        Assert.Equal(new DateOnly(2026, 12, 21), (await journey.StateAsync(fresh.CaseNumber)).OpenClock(ClockKind.Handling)!.DueOn); // 12-20 is a Sunday
        Assert.Equal(2, (await Harness.SendAsync(new PublishDeadlinePolicy.Command("330000", Rules(), admin))).Version);
        Assert.Equal(3, (await Harness.SendAsync(new ListDeadlinePolicies.Query(admin))).Count); // national, v1, v2
    }

    [Fact]
    public async Task Bad_tables_and_policies_are_refused_with_their_reasons()
    {
        var admin = await Harness.ActorAsync(TestData.ProvinceAdmin);

        var wednesday = await Assert.ThrowsAsync<ValidationException>(() => Harness.SendAsync(
            new PublishHolidayTable.Command(2027, [new(new DateOnly(2027, 1, 6), false, "调休上班")], admin)));
        var otherYear = await Assert.ThrowsAsync<ValidationException>(() => Harness.SendAsync(
            new PublishHolidayTable.Command(2027, [new(new DateOnly(2028, 1, 1), true, "元旦")], admin)));
        var missingClock = await Assert.ThrowsAsync<ValidationException>(() => Harness.SendAsync(
            new PublishDeadlinePolicy.Command("330000", Rules().Skip(1).ToList(), admin)));
        var unit = await Assert.ThrowsAsync<ValidationException>(() => Harness.SendAsync(
            new PublishDeadlinePolicy.Command("330799-01", Rules(), admin)));
        await Assert.ThrowsAsync<ForbiddenException>(async () => await Harness.SendAsync(
            new PublishDeadlinePolicy.Command("330000", Rules(), await Harness.ActorAsync("office"))));
        // A county's administrator keeps neither the province's policy nor the national holiday table.
        await Assert.ThrowsAsync<NotFoundException>(async () => await Harness.SendAsync(
            new PublishDeadlinePolicy.Command("330000", Rules(), await Harness.ActorAsync("admin"))));
        await Assert.ThrowsAsync<ForbiddenException>(async () => await Harness.SendAsync(
            new PublishHolidayTable.Command(2027, [new(new DateOnly(2027, 1, 1), true, "元旦")], await Harness.ActorAsync("admin"))));

        Assert.Contains("weekend", wednesday.Message, StringComparison.Ordinal);
        Assert.Contains("year published", otherYear.Message, StringComparison.Ordinal);
        Assert.Contains("exactly one rule for each clock", missingClock.Message, StringComparison.Ordinal);
        Assert.Contains("not a bureau", unit.Message, StringComparison.Ordinal);
        Assert.Equal(0, await Database.CountAsync("deadline_policies"));
        Assert.Equal(72, await Database.CountAsync("holiday_days"));
    }
}
