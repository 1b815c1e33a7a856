using FluentValidation;
using Petitions.Domain;

namespace Petitions.Workflows.Materials;

/// <summary>A file to attach, staged at the door, with what the sender says it is.</summary>
public sealed record MaterialInput(string? Kind, string? Description, StagedFile File)
{
    public const int MaxDescriptionLength = 200;

    private static readonly IReadOnlyList<string> PetitionerKinds = Material.PetitionerKinds.Select(Codes.Of).ToList();

    public override string ToString() => nameof(MaterialInput); // the file's name stays out of logs

    /// <summary>The rules of each file of a command: the kind is one of the kinds (online, one of a petitioner's own
    /// papers' kinds), a description is short.</summary>
    public static void Rules(InlineValidator<MaterialInput> file, bool petitioner)
    {
        file.RuleFor(m => m.Kind).NotEmpty().IsOneOf(petitioner ? PetitionerKinds : Codes.All<MaterialKind>(), "kind");
        file.RuleFor(m => m.Description).MaximumLength(MaxDescriptionLength);
    }
}
