using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Api;

public sealed class ContactCardApiTests(DatabaseServers servers) : ApiTest(StorageProvider.Sqlite, servers)
{
    private Task<HttpResponseMessage> SetCardAsync(string admin, string organization, object body) =>
        SendAsync(HttpMethod.Put, $"/api/admin/organizations/{organization}/contact-card", admin, JsonContent.Create(body));

    private async Task<JsonElement> ContactAsync(string caseNumber, string queryCode) =>
        (await JsonAsync(await Client.GetAsync($"/api/public/petitions/{caseNumber}?queryCode={queryCode}", Ct))).GetProperty("contact");

    [Fact]
    public async Task The_petitioner_sees_the_handling_officers_card_only_where_the_bureau_enables_it()
    {
        var registered = await JsonAsync(await RegisterAsync(await TokenAsync("reception"), PetitionBody()));
        var (caseNumber, queryCode) = (registered.GetProperty("caseNumber").GetString()!, registered.GetProperty("queryCode").GetString()!);
        var admin = await TokenAsync("admin");
        await SetCardAsync(admin, "330799", new { enabled = true, phone = "0571-87654321" });
        Assert.Equal(JsonValueKind.Null, (await ContactAsync(caseNumber, queryCode)).ValueKind); // not yet with a unit

        await SendAsync(HttpMethod.Post, $"/api/petitions/{caseNumber}/actions/accept", await TokenAsync("office"), JsonContent.Create(new { unit = "330799-01" }));
        var unitOnly = await ContactAsync(caseNumber, queryCode);
        await SendAsync(HttpMethod.Post, $"/api/petitions/{caseNumber}/actions/record-progress", await TokenAsync("handler"), JsonContent.Create(new { note = "已走访" }));
        var withOfficer = await ContactAsync(caseNumber, queryCode);
        await SetCardAsync(admin, "330799-01", new { enabled = false, phone = "0571-81234567" });
        var unitPhone = await ContactAsync(caseNumber, queryCode);
        await SetCardAsync(admin, "330799", new { enabled = false });
        var off = await ContactAsync(caseNumber, queryCode);

        Assert.Equal(("城关派出所", JsonValueKind.Null, "0571-87654321"),
            (unitOnly.GetProperty("unit").GetString(), unitOnly.GetProperty("officer").ValueKind, unitOnly.GetProperty("phone").GetString()));
        Assert.Equal("演示用户 handler", withOfficer.GetProperty("officer").GetString());
        Assert.Equal("0571-81234567", unitPhone.GetProperty("phone").GetString()); // the unit's own phone first
        Assert.Equal(JsonValueKind.Null, off.ValueKind);
    }

    [Fact]
    public async Task Only_an_administrator_sets_it_for_a_bureau_within_reach_with_a_real_phone()
    {
        var admin = await TokenAsync("admin");

        var badPhone = await SetCardAsync(admin, "330799", new { enabled = true, phone = "12345" });
        var missing = await SetCardAsync(admin, "330799", new { phone = "0571-87654321" });
        var unit = await SetCardAsync(admin, "330799-01", new { enabled = true });
        var outOfReach = await SetCardAsync(admin, "330700", new { enabled = true });
        var notAdmin = await SetCardAsync(await TokenAsync("office"), "330799", new { enabled = true });

        Assert.Equal(
            [HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.Conflict, HttpStatusCode.NotFound, HttpStatusCode.Forbidden],
            new[] { badPhone, missing, unit, outOfReach, notAdmin }.Select(r => r.StatusCode));
        Assert.Equal("contact-card-bureau", (await JsonAsync(unit)).GetProperty("rule").GetString());
        Assert.Equal(0, await Database.CountAsync("organizations", "contact_card = 1"));
    }
}
