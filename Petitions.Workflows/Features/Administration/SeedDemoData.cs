using System.Text.Json.Serialization;
using MediatR;
using Petitions.Domain;
using Petitions.Workflows.Storage;

namespace Petitions.Workflows.Features.Administration;

/// <summary>
/// Seeds the Development demo: a province → city → county tree with three handling units, one user per role named
/// after the role (at the county, the handler at its first station), <see cref="ProvinceAdmin"/>, who keeps what is
/// national (the holiday tables), and <see cref="CityOffice"/>, who decides the county's reviews. Does nothing when
/// the demo is already there. The API never runs it outside Development.
/// </summary>
public static class SeedDemoData
{
    public const string CountyCode = "330799";

    /// <summary>The administrator at the root of the tree.</summary>
    public const string ProvinceAdmin = "province-admin";

    /// <summary>The petition office and leader of the city bureau, who decide the county's reviews (复查).</summary>
    public const string CityOffice = "city-office";

    public sealed record Command([property: JsonIgnore] string Password) : ICommand<bool>
    {
        public Actor Actor => Actor.Public;
        string? ICommandRequest.AuditCaseNumber => null;
        public override string ToString() => nameof(SeedDemoData);
    }

    public sealed class Handler(AccountStore accounts) : IRequestHandler<Command, bool>
    {
        public async Task<bool> Handle(Command command, CancellationToken ct)
        {
            if (await accounts.OrganizationByCodeAsync(CountyCode, ct) is not null) return false;

            var province = await accounts.AddOrganizationAsync(null, "330000", "浙江省公安厅", OrganizationKind.Province, ct);
            var city = await accounts.AddOrganizationAsync(province, "330700", "金华市公安局", OrganizationKind.City, ct);
            var county = await accounts.AddOrganizationAsync(city, CountyCode, "示范县公安局", OrganizationKind.County, ct);
            var station = await accounts.AddOrganizationAsync(county, $"{CountyCode}-01", "城关派出所", OrganizationKind.Unit, ct);
            await accounts.AddOrganizationAsync(county, $"{CountyCode}-02", "刑事侦查大队", OrganizationKind.Unit, ct);
            await accounts.AddOrganizationAsync(county, $"{CountyCode}-03", "治安管理大队", OrganizationKind.Unit, ct);

            foreach (var role in Enum.GetValues<Role>())
            {
                var home = role == Role.Handler ? station : county;
                await accounts.AddUserAsync(Codes.Of(role), $"演示用户 {Codes.Of(role)}", command.Password, home, [role], ct);
            }
            await accounts.AddUserAsync(ProvinceAdmin, "演示用户 省厅管理员", command.Password, province, [Role.Admin], ct);
            await accounts.AddUserAsync(CityOffice, "演示用户 市局信访办", command.Password, city, [Role.Office, Role.Leader], ct);
            return true;
        }
    }
}
