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
/// One action on one petition, atomically. It checks the petition is within reach, that the action exists in the
/// petition's workflow version and is not a follow-up, the actor's role and organization, the stage and the payload;
/// then the <see cref="WorkflowRuntime"/> applies it and writes the state, clocks, history and notices in the
/// command's one transaction.
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
        WorkflowRuntime runtime,
        IServiceProvider services) : IRequestHandler<Command, Response>
    {
        public async Task<Response> Handle(Command command, CancellationToken ct)
        {
            var actor = command.Actor;
            var (viewer, stored) = await PetitionScope.LoadWithinReachAsync(store, accounts, command.CaseNumber, actor, ct);
            var petition = stored.Petition;

            var action = workflows.Get(stored.WorkflowVersion).Find(command.Action)
                ?? throw new NotFoundException($"Workflow version {stored.WorkflowVersion} has no action '{command.Action}'.");
            if (action.IsFollowUp)
                throw new ForbiddenException($"'{action.Code}' follows from an action on a linked petition; nobody performs it directly.");
            actor.Require([.. action.Roles]);
            petition.RequireStage(action.Code, action.From);
            var handling = (await accounts.OrganizationAsync(petition.HandlingOrganizationId, ct))!;
            if (!PetitionScope.CanAct(actor, viewer, handling, action.Roles, petition))
                throw new ForbiddenException(action.Roles.SequenceEqual([Role.Handler])
                    ? "Only the unit the petition is assigned to can do this."
                    : $"This petition is decided by {handling.Name} now.");

            var payload = await ReadPayloadAsync(command.Payload, action.Payload, ct);
            var applied = await runtime.ApplyAsync(stored, action, payload, actor, ct);
            return new Response(petition.CaseNumber, action.Code, Codes.Of(applied.Stage), applied.Version, applied.Notices);
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
    }
}
