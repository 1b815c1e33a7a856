using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Domain;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Workflow;

/// <summary>
/// Applies one action of a petition's workflow version to it, inside the caller's transaction: the action's rule
/// through the aggregate, the stage it leads to, its clocks (counted from the day the action happened), the state
/// (with the optimistic version check), the history entry and the notices the petition is owed. Who may act is the
/// caller's to check (<see cref="Features.Actions.PerformAction"/>); a follow-up is applied by the rule of an action
/// on a linked petition.
/// </summary>
public sealed class WorkflowRuntime(
    PetitionStore store,
    AccountStore accounts,
    WorkflowCatalog workflows,
    IServiceProvider services,
    DeadlineRules rules,
    TimeProvider time)
{
    public sealed record Applied(Stage Stage, int Version, IReadOnlyList<long> Notices);

    public async Task<Applied> ApplyAsync(PetitionStore.Stored stored, ActionDefinition action, object payload, Actor actor, CancellationToken ct)
    {
        var petition = stored.Petition;
        petition.RequireStage(action.Code, action.From);
        // Whoever decides the petition when the action is taken issues its notices and seals them: a review's opinion
        // and its proof of service are the reviewing organ's, even when the review sends the petition back down.
        var issuer = (await accounts.OrganizationAsync(petition.HandlingOrganizationId, ct))!;
        var bureau = (await accounts.OrganizationAsync(stored.BureauId, ct))!.Ref;
        var context = new ActionContext(
            actor, time.GetUtcNow(), stored.Id, bureau, await rules.ByIdAsync(stored.PolicyId, ct), await rules.CalendarAsync(ct));
        var rule = (IActionRule)services.GetRequiredService(action.Rule);
        var outcome = await rule.ApplyAsync(petition, payload, context, ct);

        petition.EnterStage(NextStage(action, petition.Stage, outcome));
        var on = outcome.OccurredOn ?? context.Today;
        ApplyClocks(action, petition, context, on);
        await store.SaveAsync(stored, ct);
        await store.AppendEventAsync(
            stored.Id, context.Now, action.Code, petition.Stage, actor, outcome.Summary, action.Public, ct, outcome.OccurredOn, issuer.Id);

        var owed = outcome.Notices ?? action.Notices;
        if (owed.Except(action.Notices).Any())
            throw new InvalidOperationException($"The rule of '{action.Code}' issued a notice its definition does not list.");
        var notices = new List<long>();
        foreach (var kind in owed)
        {
            var details = new Dictionary<string, string>(outcome.NoticeDetails ?? new Dictionary<string, string>())
            {
                ["bureau"] = issuer.Name,
                ["issuerCode"] = issuer.Code,
                ["issuedOn"] = Day(context.Today),
            };
            // The deadlines running as the notice is issued (the handling period on an acceptance or extension), and
            // which of them are provisional: their year has no holiday table yet.
            foreach (var clock in petition.Clocks.Where(c => c.IsOpen))
            {
                details[$"due:{Codes.Of(clock.Kind)}"] = Day(clock.DueOn);
                if (clock.Provisional) details[$"provisional:{Codes.Of(clock.Kind)}"] = "true";
            }
            notices.Add(await store.AddNoticeAsync(stored.Id, kind, context.Now, actor, JsonSerializer.Serialize(details), ct));
        }
        return new Applied(petition.Stage, stored.Version + 1, notices);
    }

    /// <summary>A follow-up on a linked petition (the referring case, when its referral is answered), in the same
    /// transaction and in the name of the same actor.</summary>
    public async Task FollowUpAsync(long petitionId, string code, object payload, Actor actor, CancellationToken ct)
    {
        var stored = await store.LoadAsync(petitionId, ct) ?? throw new InvalidOperationException($"Linked petition {petitionId} is missing.");
        var action = workflows.Get(stored.WorkflowVersion).Find(code);
        if (action is not { IsFollowUp: true })
            throw new RuleViolationException("wrong-stage", $"Petition {stored.Petition.CaseNumber} (workflow version {stored.WorkflowVersion}) does not wait for '{code}'.");
        await ApplyAsync(stored, action, payload, actor, ct);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static Stage NextStage(ActionDefinition action, Stage current, ActionOutcome outcome)
    {
        var next = outcome.To ?? (action.To.Count == 1 ? action.To[0] : current);
        if (action.To.Count == 0 ? next != current : !action.To.Contains(next))
            throw new InvalidOperationException($"The rule of '{action.Code}' chose {Codes.Of(next)}, which its definition does not allow.");
        return next;
    }

    /// <summary>The definition's clock effects on the day <paramref name="on"/>: starts refuse a clock already running
    /// (unless they continue it); stops stop what runs.</summary>
    private static void ApplyClocks(ActionDefinition action, Petition petition, ActionContext context, DateOnly on)
    {
        foreach (var effect in action.Clocks.Where(e => e.AtLevel is null || e.AtLevel == petition.Level))
        {
            switch (effect.Operation)
            {
                case ClockOperation.Start:
                    petition.StartClock(effect.Kind, on, context.Policy, context.Calendar);
                    break;
                case ClockOperation.StartOrContinue:
                    if (petition.OpenClock(effect.Kind) is null) petition.StartClock(effect.Kind, on, context.Policy, context.Calendar);
                    break;
                case ClockOperation.Stop:
                    petition.OpenClock(effect.Kind)?.Stop(on);
                    break;
                case ClockOperation.Pause:
                    petition.RequireOpenClock(effect.Kind).Pause(on);
                    break;
                case ClockOperation.Resume:
                    petition.RequireOpenClock(effect.Kind).Resume(on, context.Policy, context.Calendar);
                    break;
                case ClockOperation.Extend:
                    petition.RequireOpenClock(effect.Kind).Extend(petition.GrantedExtensionDays, context.Policy, context.Calendar);
                    break;
            }
        }
    }
}
