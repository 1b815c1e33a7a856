using Petitions.Domain;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Workflow;

/// <summary>What a payload field that names one of our organizations (by its code), or one of their officers (by user
/// name), may name.</summary>
public enum OrganizationChoice
{
    /// <summary>A handling unit of the petition's bureau that may receive it (never the accused, nor the unit handling it).</summary>
    HandlingUnit,

    /// <summary>A bureau directly under the petition's bureau that may receive it.</summary>
    SubordinateBureau,

    /// <summary>Any organization below the petition's bureau, as the accused of an accusation, or <c>none</c>.</summary>
    AccusedOrganization,

    /// <summary>An officer (承办人) of the unit handling the petition: an enabled user of it with the handler role, not the
    /// one already assigned; by user name.</summary>
    UnitOfficer,
}

/// <summary>Marks a payload field that names one of our organizations or officers, so the list of what may be done now
/// offers them to choose from and nobody types a code or a user name.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class ChoosesAttribute(OrganizationChoice choice) : Attribute
{
    public OrganizationChoice Choice { get; } = choice;
}

/// <summary>An organization (or officer) a field may name: its code or user name (what the action takes) and its name
/// (what people choose by).</summary>
public sealed record OrganizationOption(string Code, string Name);

public static class OrganizationChoices
{
    /// <summary>The organizations of <paramref name="subtree"/> (the bureau's, in tree order) a field may name. Those
    /// the rule would refuse for who they are are left out; what the petition's state refuses (an accused unit still
    /// to confirm) stays for the rule to name.</summary>
    public static IReadOnlyList<OrganizationOption> For(OrganizationChoice choice, Petition petition, Organization bureau, IReadOnlyList<Organization> subtree) =>
        subtree.Where(o => choice switch
            {
                OrganizationChoice.HandlingUnit => o.ParentId == bureau.Id && o.Kind == Codes.Of(OrganizationKind.Unit)
                                                   && !petition.Recuses(o.Path) && o.Id != petition.AssignedUnitId,
                OrganizationChoice.SubordinateBureau => o.ParentId == bureau.Id && o.Kind != Codes.Of(OrganizationKind.Unit) && !petition.Recuses(o.Path),
                OrganizationChoice.AccusedOrganization => o.Id != bureau.Id,
                _ => false,
            })
            .Select(o => new OrganizationOption(o.Code, o.Name))
            .ToList();

    /// <summary>The officers <see cref="OrganizationChoice.UnitOfficer"/> offers: the unit's, less the one assigned.</summary>
    public static async Task<IReadOnlyList<OrganizationOption>> OfficersAsync(AccountStore accounts, Petition petition, CancellationToken ct) =>
        petition.AssignedUnitId is { } unit
            ? (await accounts.OfficersAsync(unit, ct)).Where(o => o.Id != petition.OfficerId).Select(o => new OrganizationOption(o.UserName, o.DisplayName)).ToList()
            : [];

    /// <summary>The fields of a payload that name organizations, by their JSON names.</summary>
    public static IReadOnlyList<(string Field, OrganizationChoice Choice)> FieldsOf(Type payload) =>
        payload.GetConstructors().Single().GetParameters()
            .Select(p => (Field: System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(p.Name!), Attribute: p.GetCustomAttributes(typeof(ChoosesAttribute), false).OfType<ChoosesAttribute>().SingleOrDefault()))
            .Where(p => p.Attribute is not null)
            .Select(p => (p.Field, p.Attribute!.Choice))
            .ToList();
}
