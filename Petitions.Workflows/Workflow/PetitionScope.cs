using Petitions.Domain;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Workflow;

/// <summary>
/// Who may see and act on a petition. Staff at or above the registering bureau see it, and so does the unit it is
/// assigned to, but never users of the unit an accusation accuses. Handlers act on what their unit is assigned;
/// everyone else acts where the petition is decided now (the bureau, or the level above on review) or above.
/// </summary>
public static class PetitionScope
{
    public static bool CanSee(Organization viewer, PetitionStore.Stored stored) =>
        !IsAccusedUnit(viewer, stored.Petition)
        && (viewer.IsAtOrAbove(stored.BureauPath) || viewer.Id == stored.Petition.AssignedUnitId);

    public static bool CanAct(Actor actor, Organization viewer, Organization handlingOrganization, IReadOnlyCollection<Role> roles, Petition petition) =>
        roles.Any(role => actor.Roles.Contains(role) && (role == Role.Handler
            ? viewer.Id == petition.AssignedUnitId
            : viewer.IsAtOrAbove(handlingOrganization.Path)));

    private static bool IsAccusedUnit(Organization viewer, Petition petition) =>
        petition.Category == Category.Accusation && viewer.Id == petition.InvolvedUnitId;
}
