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

    private static WorkflowDefinition Definition => PetitionWorkflowV1.Definition;

    public static TheoryData<string> Actions() => new(Definition.Actions.Select(a => a.Code));

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
        var caseNumber = await journey.RegisterAsync();
        var visited = new HashSet<Stage>();
        foreach (var step in Journey.MainRoute.Append(null))
        {
            var petition = await journey.StateAsync(caseNumber);
            visited.Add(petition.Stage);
            foreach (var action in Definition.Actions.Where(a => !a.From.Contains(petition.Stage)))
            {
                var user = await journey.PerformerAsync(action, petition);
                var attempt = () => journey.DoAsync(caseNumber, action.Code, user, earlier: caseNumber);
                if (await journey.ReadRefusalAsync(caseNumber, user) is { } refusal)
                    Assert.IsType(refusal, await Record.ExceptionAsync(attempt)); // e.g. a unit the petition is not assigned to
                else
                    Assert.Equal("wrong-stage", (await Assert.ThrowsAsync<RuleViolationException>(attempt)).Rule);
            }
            if (step is not null) await journey.DoAsync(caseNumber, step);
        }
        // The route must pass through every stage, or the refusals above miss some.
        Assert.Equal(Enum.GetValues<Stage>().Order(), visited.Order());
    }

    [Fact]
    public void The_test_journey_knows_every_action_of_the_definition()
    {
        var stagesReachedByRoute = Journey.MainRoute.Select(code => Definition.Find(code)).ToList();
        Assert.DoesNotContain(null, stagesReachedByRoute);
        foreach (var action in Definition.Actions)
            Assert.NotNull(Journey.Payload(action.Code));
    }
}
