using FluentValidation;
using Microsoft.Extensions.Options;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Materials;

namespace Petitions.Workflows.Features.Materials;

/// <summary>Files sent with a registration follow the rules of attaching them later; a petitioner online sends fewer,
/// and only their own papers' kinds.</summary>
public sealed class RegistrationMaterials : AbstractValidator<RegisterPetition.Command>
{
    public RegistrationMaterials(IOptions<MaterialOptions> options)
    {
        var o = options.Value;
        RuleFor(c => c.Files.Count).LessThanOrEqualTo(c => c.Actor.IsStaff ? o.MaxFilesPerRequest : o.PublicMaxFiles).OverridePropertyName("files")
            .WithErrorCode("material-count").WithMessage("Too many files at a time.");
        RuleForEach(c => c.Files).ChildRules(file => MaterialInput.Rules(file, petitioner: false)).When(c => c.Actor.IsStaff);
        RuleForEach(c => c.Files).ChildRules(file => MaterialInput.Rules(file, petitioner: true)).When(c => !c.Actor.IsStaff);
    }
}
