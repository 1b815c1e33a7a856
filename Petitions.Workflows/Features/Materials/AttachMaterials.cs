using FluentValidation;
using MediatR;
using Microsoft.Extensions.Options;
using Petitions.Domain;
using Petitions.Workflows.Materials;
using Petitions.Workflows.Storage;
using Petitions.Workflows.Workflow;

namespace Petitions.Workflows.Features.Materials;

/// <summary>
/// Staff attach files to a petition within their reach: the desk, the office, the handling unit, leaders and supervisors.
/// The files were checked and sealed at the door (<see cref="StagedFile"/>); here they are written in one transaction
/// with a history entry each, or not at all.
/// </summary>
public static class AttachMaterials
{
    /// <summary>Who attaches: everyone who works the case; an administrator does not.</summary>
    public static readonly Role[] Roles = [Role.Reception, Role.Office, Role.Handler, Role.Leader, Role.Supervisor];

    public sealed record Command(string CaseNumber, IReadOnlyList<MaterialInput> Files, Actor Actor) : ICommand<IReadOnlyList<ListMaterials.Item>>
    {
        string? ICommandRequest.AuditCaseNumber => CaseNumber;
        public override string ToString() => nameof(AttachMaterials); // file names stay out of logs
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(IOptions<MaterialOptions> options)
        {
            RuleFor(c => c.CaseNumber).Must(CaseNumber.IsWellFormed).WithErrorCode("case-number").WithMessage("Not a case number.");
            RuleFor(c => c.Files).NotEmpty().WithMessage("Attach at least one file.");
            RuleFor(c => c.Files.Count).LessThanOrEqualTo(options.Value.MaxFilesPerRequest).OverridePropertyName("files")
                .WithErrorCode("material-count").WithMessage($"At most {options.Value.MaxFilesPerRequest} files at a time.");
            RuleForEach(c => c.Files).ChildRules(file => MaterialInput.Rules(file, petitioner: false));
        }
    }

    public sealed class Handler(PetitionStore store, AccountStore accounts, MaterialStore materials, TimeProvider time)
        : IRequestHandler<Command, IReadOnlyList<ListMaterials.Item>>
    {
        public async Task<IReadOnlyList<ListMaterials.Item>> Handle(Command command, CancellationToken ct)
        {
            var (_, stored) = await PetitionScope.LoadWithinReachAsync(store, accounts, command.CaseNumber, command.Actor, ct);
            command.Actor.Require(Roles);
            var contents = await materials.StoreContentsAsync(command.Files, ct);
            var ids = await materials.AttachAsync(stored.Id, stored.Petition.Stage, contents, command.Actor, time.GetUtcNow(), ct);
            return (await materials.ListAsync(stored.Id, ct)).Where(row => ids.Contains(row.Id)).Select(row => ListMaterials.View(materials, row)).ToList();
        }
    }
}
