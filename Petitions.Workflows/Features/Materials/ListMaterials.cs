using FluentValidation;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Materials;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Materials;

/// <summary>A petition's materials, withdrawn ones too (marked), for whoever may read the petition.</summary>
public static class ListMaterials
{
    public sealed record Query(string CaseNumber, Actor Actor) : IQuery<IReadOnlyList<Item>>;

    public sealed record Withdrawal(DateTimeOffset At, string? By, string? Reason);

    /// <summary>A material as listed: <see cref="Type"/> is what its content showed, <see cref="Previewable"/> whether the
    /// case page shows it inline.</summary>
    public sealed record Item(
        long Id,
        string Kind,
        string? Description,
        string FileName,
        string Type,
        string MediaType,
        long Size,
        bool Previewable,
        DateTimeOffset AttachedAt,
        string? AttachedBy,
        string? AttachedByOrganization,
        string Source,
        Withdrawal? Withdrawn);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.CaseNumber).Must(CaseNumber.IsWellFormed).WithErrorCode("case-number").WithMessage("Not a case number.");
    }

    public static Item View(MaterialStore materials, MaterialStore.Row row) => new(
        row.Id, row.Kind, row.Description, materials.FileName(row), row.TypeCode, row.MediaType, row.SizeBytes,
        MaterialTypes.ByCode(row.TypeCode).Previewable, row.AttachedAt, row.AttachedByName, row.AttachedByOrganization, row.Source,
        row.WithdrawnAt is { } at ? new Withdrawal(at, row.WithdrawnByName, row.WithdrawalReason) : null);

    public sealed class Handler(PetitionStore store, AccountStore accounts, MaterialStore materials) : IRequestHandler<Query, IReadOnlyList<Item>>
    {
        public async Task<IReadOnlyList<Item>> Handle(Query query, CancellationToken ct)
        {
            var (_, stored) = await PetitionScope.LoadWithinReachAsync(store, accounts, query.CaseNumber, query.Actor, ct);
            return (await materials.ListAsync(stored.Id, ct)).Select(row => View(materials, row)).ToList();
        }
    }
}
