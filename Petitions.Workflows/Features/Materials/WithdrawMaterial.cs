using FluentValidation;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Materials;

/// <summary>
/// A material attached by mistake is withdrawn with a reason, never deleted: it stays listed (marked) and downloadable
/// for the record. The office and leaders withdraw any; others only what they attached themselves.
/// </summary>
public static class WithdrawMaterial
{
    public const int MaxReasonLength = 500;

    public sealed record Command(string CaseNumber, long MaterialId, string? Reason, Actor Actor) : ICommand<ListMaterials.Item>
    {
        string? ICommandRequest.AuditCaseNumber => CaseNumber;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.CaseNumber).Must(CaseNumber.IsWellFormed).WithErrorCode("case-number").WithMessage("Not a case number.");
            RuleFor(c => c.Reason).NotEmpty().MaximumLength(MaxReasonLength);
        }
    }

    public sealed class Handler(PetitionStore store, AccountStore accounts, MaterialStore materials, TimeProvider time) : IRequestHandler<Command, ListMaterials.Item>
    {
        public async Task<ListMaterials.Item> Handle(Command command, CancellationToken ct)
        {
            var actor = command.Actor;
            var (_, stored) = await PetitionScope.LoadWithinReachAsync(store, accounts, command.CaseNumber, actor, ct);
            var row = await materials.FindAsync(stored.Id, command.MaterialId, ct)
                ?? throw new NotFoundException($"Petition {command.CaseNumber} has no material {command.MaterialId}.");
            var material = row.Material;
            if (!actor.HasAny(Role.Office, Role.Leader) && (material.AttachedBy is null || material.AttachedBy != actor.UserId))
                throw new ForbiddenException("Only the office, a leader or whoever attached it can withdraw a material.");
            material.Withdraw(command.Reason!, time.GetUtcNow());
            await materials.WithdrawAsync(stored.Id, stored.Petition.Stage, material, actor, ct);
            return ListMaterials.View(materials, (await materials.FindAsync(stored.Id, material.Id, ct))!);
        }
    }
}
