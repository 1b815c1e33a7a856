using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Petitions;

/// <summary>Before saving, the desk sees the earlier petitions on similar matters of the petitioner or any
/// representative (同人同事), from the same registration input (validated as registration validates it).</summary>
public static class FindPossibleDuplicates
{
    public sealed record Query(RegisterPetition.Command Registration) : IQuery<IReadOnlyList<PetitionStore.PossibleDuplicate>>;

    public sealed class Validator : FluentValidation.AbstractValidator<Query>
    {
        public Validator(FluentValidation.IValidator<RegisterPetition.Command> registration) => RuleFor(q => q.Registration).SetValidator(registration);
    }

    public sealed class Handler(PetitionStore store, TimeProvider time) : IRequestHandler<Query, IReadOnlyList<PetitionStore.PossibleDuplicate>>
    {
        public async Task<IReadOnlyList<PetitionStore.PossibleDuplicate>> Handle(Query query, CancellationToken ct)
        {
            var actor = query.Registration.Actor;
            actor.Require(Role.Reception, Role.Office);
            var bureau = await store.BureauOfAsync(actor.OrganizationId!.Value, ct) ?? throw new ForbiddenException("Your organization does not belong to a bureau.");
            var today = ShanghaiTime.DateOf(time.GetUtcNow());
            var registration = query.Registration;
            IReadOnlyList<Person> people =
                [RegisterPetition.Handler.ToPerson(registration.Petitioner!, today), .. (registration.Representatives ?? []).Select(r => RegisterPetition.Handler.ToPerson(r, today))];
            return await store.PossibleDuplicatesAsync(people, registration.Subject!.Trim(), bureau, ct);
        }
    }
}
