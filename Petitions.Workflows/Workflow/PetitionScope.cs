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

    /// <summary>
    /// The petition and the actor's organization, when the actor may see it; otherwise the very answer a missing
    /// petition gets, so a petition's existence is never revealed to those out of its reach.
    /// </summary>
    public static async Task<(Organization Viewer, PetitionStore.Stored Stored)> LoadWithinReachAsync(
        PetitionStore store, AccountStore accounts, string caseNumber, Actor actor, CancellationToken ct)
    {
        var viewer = actor.OrganizationId is { } orgId ? await accounts.OrganizationAsync(orgId, ct) : null;
        var stored = CaseNumber.IsWellFormed(caseNumber) ? await store.LoadAsync(caseNumber, ct) : null;
        return viewer is not null && stored is not null && CanSee(viewer, stored)
            ? (viewer, stored)
            : throw new NotFoundException($"No petition {caseNumber} is within your reach.");
    }

    private static bool IsAccusedUnit(Organization viewer, Petition petition) =>
        petition.Category == Category.Accusation && viewer.Id == petition.InvolvedUnitId;
}
