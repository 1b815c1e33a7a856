using FluentValidation;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Materials;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Materials;

/// <summary>
/// A material's content, for whoever may read its petition: the same scope and recusal as the petition itself, so the
/// unit an accusation accuses never reaches it. Every download and every preview is written to the audit log before
/// the first byte leaves.
/// </summary>
public static class GetMaterial
{
    /// <param name="Preview">For showing inline on the case page: only types a browser shows safely (images, PDF).</param>
    public sealed record Query(string CaseNumber, long MaterialId, Actor Actor, bool Preview = false) : IQuery<Response>;

    /// <summary>The content is read from the database as the response is written; the caller disposes it.</summary>
    public sealed record Response(string FileName, string MediaType, long Size, Stream Content);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.CaseNumber).Must(CaseNumber.IsWellFormed).WithErrorCode("case-number").WithMessage("Not a case number.");
    }

    public sealed class Handler(PetitionStore store, AccountStore accounts, MaterialStore materials, AuditLog audit) : IRequestHandler<Query, Response>
    {
        public async Task<Response> Handle(Query query, CancellationToken ct)
        {
            var (_, stored) = await PetitionScope.LoadWithinReachAsync(store, accounts, query.CaseNumber, query.Actor, ct);
            var row = await materials.FindAsync(stored.Id, query.MaterialId, ct)
                ?? throw new NotFoundException($"Petition {query.CaseNumber} has no material {query.MaterialId}.");
            if (query.Preview && !MaterialTypes.ByCode(row.TypeCode).Previewable)
                throw new NotFoundException($"Material {row.Id} is not an image or PDF: download it instead.");
            await audit.AppendAsync(query.Actor, query.Preview ? "preview-material" : "download-material", query.CaseNumber, "ok", $"material:{row.Id}", ct);
            return new Response(materials.FileName(row), row.MediaType, row.SizeBytes, materials.OpenContent(row));
        }
    }
}
