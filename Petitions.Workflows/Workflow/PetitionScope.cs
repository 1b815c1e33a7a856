using Dapper;
using Petitions.Domain;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Workflow;

/// <summary>
/// Who may see and act on a petition. Staff at or above the registering bureau see it, and so does the unit it is
/// assigned to, but never users of the organization an accusation accuses or of one under it. Handlers act on what
/// their unit is assigned; everyone else acts where the petition is decided now (the bureau, or the level above on
/// review) or above. Petitions are read by the roles that work on them: an administrator who holds none of them keeps
/// accounts and rules, not petitions.
/// </summary>
public static class PetitionScope
{
    public static readonly Role[] Readers = [Role.Reception, Role.Office, Role.Handler, Role.Leader, Role.Supervisor];

    public static bool CanSee(Organization viewer, PetitionStore.Stored stored) =>
        !stored.Petition.Recuses(viewer.Path)
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
        actor.Require(Readers);
        var viewer = actor.OrganizationId is { } orgId ? await accounts.OrganizationAsync(orgId, ct) : null;
        var stored = CaseNumber.IsWellFormed(caseNumber) ? await store.LoadAsync(caseNumber, ct) : null;
        return viewer is not null && stored is not null && CanSee(viewer, stored)
            ? (viewer, stored)
            : throw new NotFoundException($"No petition {caseNumber} is within your reach.");
    }

    /// <summary>
    /// <see cref="CanSee"/> as a condition on the petitions <c>p</c> of a list, with its parameters. Every list of
    /// petitions goes through it, so no list shows what the record would refuse. An accusation naming none of our
    /// organizations stays in every list of its bureau (a NULL accused unit must not hide it).
    /// </summary>
    public sealed record Reach(Organization Viewer, string Condition)
    {
        public DynamicParameters With(object parameters)
        {
            var all = new DynamicParameters(parameters);
            all.Add("ReachPrefix", Viewer.Path + "%");
            all.Add("ReachPath", Viewer.Path);
            all.Add("ReachViewerId", Viewer.Id);
            return all;
        }
    }

    public static async Task<Reach> ReachAsync(AccountStore accounts, SqlDialect dialect, Actor actor, CancellationToken ct)
    {
        actor.Require(Readers);
        var viewer = actor.OrganizationId is { } orgId ? await accounts.OrganizationAsync(orgId, ct) : null;
        if (viewer is null) throw new ForbiddenException("Sign in to list petitions.");
        return new Reach(viewer, $"""
            (p.bureau_path LIKE @ReachPrefix OR p.assigned_unit_id = @ReachViewerId)
              AND (p.category <> 'accusation'
                   OR p.involved_unit_id IS NULL
                   OR NOT EXISTS (SELECT 1
                                  FROM organizations accused
                                  WHERE accused.id = p.involved_unit_id
                                    AND @ReachPath LIKE {dialect.Concat("accused.path", "'%'")}))
            """);
    }
}
