using Petitions.Domain;
using Petitions.Tests.Support;
using Petitions.Workflows;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Tests.Workflows.Actions;

/// <summary>
/// Generated from the workflow definition: every action from every stage it allows succeeds and leads where the
/// definition says; from every other stage it is refused as the wrong stage; for every role it does not name it is
/// forbidden. A new action, stage or role is covered without touching this file.
/// </summary>
public abstract class WorkflowMatrixTests(StorageProvider provider, DatabaseServers servers) : WorkflowTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : WorkflowMatrixTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : WorkflowMatrixTests(StorageProvider.Postgres, servers);

    private static WorkflowDefinition Definition => PetitionWorkflowV2.Definition;

    /// <summary>Every action someone performs (a follow-up is the workflow's own step: see the referral tests).</summary>
    public static TheoryData<string> Actions() => new(Definition.Actions.Where(a => !a.IsFollowUp).Select(a => a.Code));

    [Theory]
    [MemberData(nameof(Actions))]
    public async Task An_action_succeeds_from_each_stage_it_allows_and_is_refused_to_other_roles(string code)
    {
        var action = Definition.Find(code)!;
        var journey = new Journey(Harness);
        foreach (var stage in action.From)
        {
            var (caseNumber, earlier) = await journey.ReachAsync(action, stage);
            var before = await journey.StateAsync(caseNumber);

            // Another role is refused: forbidden, or as the read side refuses the role's user the petition (a unit sees
            // only what is assigned to it; a county does not see the city's cases; an administrator reads none). Nothing changes.
            foreach (var role in Enum.GetValues<Role>().Where(r => !action.Roles.Contains(r)))
            {
                var refused = await Record.ExceptionAsync(() => journey.DoAsync(caseNumber, code, Codes.Of(role), earlier: earlier));
                var refusal = await journey.ReadRefusalAsync(caseNumber, Codes.Of(role)) ?? typeof(ForbiddenException);
                Assert.True(refused?.GetType() == refusal, $"{code} as {Codes.Of(role)}: expected {refusal.Name}, got {refused}");
            }
            Assert.Equivalent(before.Stage, (await journey.StateAsync(caseNumber)).Stage);

            var done = await journey.DoAsync(caseNumber, code, earlier: earlier);

            var expected = action.To.Count == 0 ? [before.Stage] : action.To;
            Assert.Contains(Codes.Parse<Stage>(done.Stage), expected);
            Assert.Equal(action.Notices.Count, done.Notices.Count);
        }
    }

    [Fact]
    public async Task Every_action_is_refused_from_every_stage_it_does_not_allow()
    {
        var journey = new Journey(Harness);
        var visited = new HashSet<Stage>();
        // The main route at the county passes through every stage but the referring case's waiting, which a referral
        // from the city reaches.
        var (referring, _) = await journey.ReferAsync();
        await RefuseOthersAsync(journey, referring, visited);
        var caseNumber = await journey.RegisterAsync();
        foreach (var step in Journey.MainRoute.Append(null))
        {
            await RefuseOthersAsync(journey, caseNumber, visited);
            if (step is not null) await journey.DoAsync(caseNumber, step);
        }
        // The routes must pass through every stage, or the refusals above miss some.
        Assert.Equal(Enum.GetValues<Stage>().Order(), visited.Order());
    }

    private static async Task RefuseOthersAsync(Journey journey, string caseNumber, HashSet<Stage> visited)
    {
        var petition = await journey.StateAsync(caseNumber);
        visited.Add(petition.Stage);
        foreach (var action in Definition.Actions.Where(a => !a.IsFollowUp && !a.From.Contains(petition.Stage)))
        {
            var user = await journey.PerformerAsync(action, petition);
            var attempt = () => journey.DoAsync(caseNumber, action.Code, user, earlier: caseNumber);
            if (await journey.ReadRefusalAsync(caseNumber, user) is { } refusal)
                Assert.IsType(refusal, await Record.ExceptionAsync(attempt)); // e.g. a unit the petition is not assigned to
            else
                Assert.Equal("wrong-stage", (await Assert.ThrowsAsync<RuleViolationException>(attempt)).Rule);
        }
    }

    [Fact]
    public async Task Nobody_performs_a_follow_up()
    {
        var journey = new Journey(Harness);
        var (referring, _) = await journey.ReferAsync();
        foreach (var action in Definition.Actions.Where(a => a.IsFollowUp))
        {
            // The referring bureau and the level above it are refused; the county does not even see the city's case.
            foreach (var user in new[] { "city", "province" })
                await Assert.ThrowsAsync<ForbiddenException>(() => journey.DoAsync(referring, action.Code, user, new { linkedCaseNumber = referring, reason = "x" }));
            await Assert.ThrowsAsync<NotFoundException>(() => journey.DoAsync(referring, action.Code, "office", new { linkedCaseNumber = referring, reason = "x" }));
        }
        Assert.Equal(Stage.Referred, (await journey.StateAsync(referring)).Stage);
    }

    [Fact]
    public void The_test_journey_knows_every_action_of_the_definition()
    {
        var stagesReachedByRoute = Journey.MainRoute.Select(code => Definition.Find(code)).ToList();
        Assert.DoesNotContain(null, stagesReachedByRoute);
        foreach (var action in Definition.Actions.Where(a => !a.IsFollowUp))
            Assert.NotNull(Journey.Payload(action.Code));
    }
}
