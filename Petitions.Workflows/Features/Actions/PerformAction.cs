using System.Text.Json;
using FluentValidation;
using FluentValidation.Results;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Domain;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Actions;

/// <summary>
/// The workflow runtime: applies one action to one petition, atomically. It checks the petition is within reach,
/// that the action exists in the petition's workflow version, the actor's role and organization, the stage and the
/// payload; lets the action's rule apply it through the aggregate; then writes the state (with the optimistic
/// version check), the clock changes, the history entry and the notices in the command's one transaction.
/// </summary>
public static class PerformAction
{
    public sealed record Command(string CaseNumber, string Action, JsonElement Payload, Actor Actor) : ICommand<Response>
    {
        string? ICommandRequest.AuditCaseNumber => CaseNumber;
        string ICommandRequest.AuditAction => Action;
        public override string ToString() => $"{nameof(PerformAction)} {Action}"; // the payload stays out of logs
    }

    public sealed record Response(string CaseNumber, string Action, string Stage, int Version, IReadOnlyList<long> Notices);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.CaseNumber).Must(CaseNumber.IsWellFormed).WithErrorCode("case-number").WithMessage("Not a case number.");
            RuleFor(c => c.Payload.ValueKind).Equal(JsonValueKind.Object).OverridePropertyName("body").WithMessage("The body must be a JSON object.");
        }
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed class Handler(
        PetitionStore store,
        AccountStore accounts,
        WorkflowCatalog workflows,
        IServiceProvider services,
        DeadlineRules rules,
        TimeProvider time) : IRequestHandler<Command, Response>
    {
        public async Task<Response> Handle(Command command, CancellationToken ct)
        {
            var actor = command.Actor;
            var (viewer, stored) = await PetitionScope.LoadWithinReachAsync(store, accounts, command.CaseNumber, actor, ct);
            var petition = stored.Petition;

            var action = workflows.Get(stored.WorkflowVersion).Find(command.Action)
                ?? throw new NotFoundException($"Workflow version {stored.WorkflowVersion} has no action '{command.Action}'.");
            actor.Require([.. action.Roles]);
            petition.RequireStage(action.Code, action.From);
            var handling = (await accounts.OrganizationAsync(petition.HandlingOrganizationId, ct))!;
            if (!PetitionScope.CanAct(actor, viewer, handling, action.Roles, petition))
                throw new ForbiddenException(action.Roles.SequenceEqual([Role.Handler])
                    ? "Only the unit the petition is assigned to can do this."
                    : $"This petition is decided by {handling.Name} now.");

            var payload = await ReadPayloadAsync(command.Payload, action.Payload, ct);
            var bureau = (await accounts.OrganizationAsync(stored.BureauId, ct))!.Ref;
            var context = new ActionContext(
                actor, time.GetUtcNow(), stored.Id, bureau, await rules.ByIdAsync(stored.PolicyId, ct), await rules.CalendarAsync(ct));
            var rule = (IActionRule)services.GetRequiredService(action.Rule);
            var outcome = await rule.ApplyAsync(petition, payload, context, ct);

            petition.EnterStage(NextStage(action, petition.Stage, outcome));
            ApplyClocks(action, petition, context);
            await store.SaveAsync(stored, ct);
            await store.AppendEventAsync(stored.Id, context.Now, action.Code, petition.Stage, actor, outcome.Summary, action.Public, ct);

            var notices = new List<long>();
            foreach (var kind in action.Notices)
            {
                var details = new Dictionary<string, string>(outcome.NoticeDetails ?? new Dictionary<string, string>())
                {
                    ["bureau"] = bureau.Name,
                    ["issuedOn"] = context.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                };
                // The deadlines running as the notice is issued (the handling period on an acceptance or extension).
                foreach (var clock in petition.Clocks.Where(c => c.IsOpen))
                    details[$"due:{Codes.Of(clock.Kind)}"] = clock.DueOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                notices.Add(await store.AddNoticeAsync(stored.Id, kind, context.Now, actor, JsonSerializer.Serialize(details), ct));
            }
            return new Response(petition.CaseNumber, action.Code, Codes.Of(petition.Stage), stored.Version + 1, notices);
        }

        private async Task<object> ReadPayloadAsync(JsonElement json, Type type, CancellationToken ct)
        {
            object payload;
            try
            {
                payload = json.Deserialize(type, Json) ?? throw new JsonException("The body is empty.");
            }
            catch (JsonException e)
            {
                var field = e.Path is null or "$" ? "body" : e.Path.TrimStart('$', '.');
                throw new ValidationException([new ValidationFailure(field, "The value is not valid JSON, or not of the expected type.")]);
            }
            var validator = (IValidator)services.GetRequiredService(typeof(IValidator<>).MakeGenericType(type));
            var result = await validator.ValidateAsync(new ValidationContext<object>(payload), ct);
            if (!result.IsValid) throw new ValidationException(result.Errors);
            return payload;
        }

        private static Stage NextStage(ActionDefinition action, Stage current, ActionOutcome outcome)
        {
            var next = outcome.To ?? (action.To.Count == 1 ? action.To[0] : current);
            if (action.To.Count == 0 ? next != current : !action.To.Contains(next))
                throw new InvalidOperationException($"The rule of '{action.Code}' chose {Codes.Of(next)}, which its definition does not allow.");
            return next;
        }

        /// <summary>The definition's clock effects: starts refuse a clock already running; stops stop what runs.</summary>
        private static void ApplyClocks(ActionDefinition action, Petition petition, ActionContext context)
        {
            foreach (var effect in action.Clocks.Where(e => e.AtLevel is null || e.AtLevel == petition.Level))
            {
                switch (effect.Operation)
                {
                    case ClockOperation.Start:
                        var from = effect.FromServiceDate ? petition.ServedOn ?? context.Today : context.Today;
                        petition.StartClock(effect.Kind, from, context.Policy, context.Calendar);
                        break;
                    case ClockOperation.Stop:
                        petition.OpenClock(effect.Kind)?.Stop(context.Today);
                        break;
                    case ClockOperation.Pause:
                        petition.RequireOpenClock(effect.Kind).Pause(context.Today);
                        break;
                    case ClockOperation.Resume:
                        petition.RequireOpenClock(effect.Kind).Resume(context.Today, context.Policy, context.Calendar);
                        break;
                    case ClockOperation.Extend:
                        petition.RequireOpenClock(effect.Kind).Extend(petition.GrantedExtensionDays, context.Policy, context.Calendar);
                        break;
                }
            }
        }
    }
}
