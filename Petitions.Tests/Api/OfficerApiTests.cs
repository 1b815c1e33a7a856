using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Domain;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Api;

/// <summary>
/// Officers (承办人) over HTTP: the handling unit assigns one of its officers, offered by name in the actions list; a user
/// of another unit or county, a disabled user, one without the handler role, the accused unit's handler are refused by
/// name; another unit clears the officer; officers list their own cases and count them on the workbench; the record,
/// the list and the public contact card name the officer.
/// </summary>
public abstract class OfficerApiTests(StorageProvider provider, DatabaseServers servers) : ApiTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : OfficerApiTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : OfficerApiTests(StorageProvider.Postgres, servers);

    /// <summary>Officers of the station (330799-01) beside the demo handler, and users who may not be its officers.</summary>
    private async Task SeedOfficersAsync()
    {
        await TestData.SeedAsync(Api.Services);
        await using var scope = Api.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountStore>();
        var session = scope.ServiceProvider.GetRequiredService<DbSession>();
        await session.BeginAsync(Ct);
        async Task<long> Add(string userName, string displayName, string organization, params Role[] roles) =>
            await accounts.AddUserAsync(userName, displayName, TestData.Password, (await accounts.OrganizationByCodeAsync(organization, Ct))!, roles, Ct);
        await Add("li", "李警官", "330799-01", Role.Handler);
        await Add("wang", "王警官", "330799-01", Role.Handler, Role.Leader);
        await accounts.SetDisabledAsync(await Add("zhao", "赵警官", "330799-01", Role.Handler), disabled: true, Ct);
        await Add("clerk", "内勤", "330799-01", Role.Reception);
        await Add("detective", "刑警", "330799-02", Role.Handler);
        await Add("neighbour", "邻县民警", TestData.OtherCountyCode, Role.Handler);
        await session.CommitAsync(Ct);
    }

    private async Task<HttpResponseMessage> ActAsync(string user, string caseNumber, string action, object body) =>
        await SendAsync(HttpMethod.Post, $"/api/petitions/{caseNumber}/actions/{action}", await TokenAsync(user), JsonContent.Create(body));

    private async Task OkAsync(string user, string caseNumber, string action, object body)
    {
        var response = await ActAsync(user, caseNumber, action, body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{action} as {user}: {await response.Content.ReadAsStringAsync(Ct)}");
    }

    private async Task<string?> RefusedRuleAsync(string user, string caseNumber, object body)
    {
        var response = await ActAsync(user, caseNumber, "assign-officer", body);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        return (await JsonAsync(response)).GetProperty("rule").GetString();
    }

    private async Task<JsonElement> RecordAsync(string caseNumber, string user = "office") =>
        await JsonAsync(await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}", await TokenAsync(user)));

    private async Task<JsonElement> ListAsync(string user, string query) =>
        await JsonAsync(await SendAsync(HttpMethod.Get, $"/api/petitions?{query}", await TokenAsync(user)));

    private static string[] CaseNumbers(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("caseNumber").GetString()!).ToArray();

    /// <summary>The actions list's choices for assign-officer (user name, name), or null when it is not offered.</summary>
    private async Task<(string UserName, string Name)[]?> OfficerChoicesAsync(string user, string caseNumber)
    {
        var actions = await JsonAsync(await SendAsync(HttpMethod.Get, $"/api/petitions/{caseNumber}/actions", await TokenAsync(user)));
        return actions.ValueKind != JsonValueKind.Array
               || actions.EnumerateArray().FirstOrDefault(a => a.GetProperty("action").GetString() == "assign-officer") is not { ValueKind: JsonValueKind.Object } action
            ? null
            : action.GetProperty("choices").GetProperty("officer").EnumerateArray()
                .Select(c => (c.GetProperty("code").GetString()!, c.GetProperty("name").GetString()!)).OrderBy(c => c.Item1, StringComparer.Ordinal).ToArray();
    }

    [Fact]
    public async Task A_handler_of_the_unit_assigns_an_officer_offered_by_name_and_the_officer_finds_it_among_their_cases()
    {
        await SeedOfficersAsync();
        var caseNumber = await NewPetitionAsync();
        await OkAsync("office", caseNumber, "accept", new { unit = "330799-01" });

        Assert.Equal([("handler", "演示用户 handler"), ("li", "李警官"), ("wang", "王警官")], (await OfficerChoicesAsync("handler", caseNumber))!);
        Assert.Null(await OfficerChoicesAsync("office", caseNumber)); // the office does not assign officers
        Assert.Equal(JsonValueKind.Null, (await RecordAsync(caseNumber)).GetProperty("officer").ValueKind);

        await OkAsync("handler", caseNumber, "assign-officer", new { officer = "li", comment = "请尽快走访" });

        var record = await RecordAsync(caseNumber);
        Assert.Equal(("li", "李警官"), (record.GetProperty("officer").GetProperty("userName").GetString(), record.GetProperty("officer").GetProperty("name").GetString()));
        Assert.Equal([("handler", "演示用户 handler"), ("wang", "王警官")], (await OfficerChoicesAsync("li", caseNumber))!); // not the one assigned
        Assert.Equal("same-officer", await RefusedRuleAsync("li", caseNumber, new { officer = "li" }));

        var mine = await ListAsync("li", "officer=me");
        Assert.Equal([caseNumber], CaseNumbers(mine));
        Assert.Equal("李警官", mine.GetProperty("items")[0].GetProperty("officer").GetString());
        Assert.Empty(CaseNumbers(await ListAsync("handler", "officer=me")));
        Assert.Equal([caseNumber], CaseNumbers(await ListAsync("office", "officer=li")));
        Assert.Empty(CaseNumbers(await ListAsync("reception2", "officer=li"))); // another county's desk: nothing out of reach
        Assert.Equal(1, await MineCountAsync("li"));
        Assert.Equal(0, await MineCountAsync("handler"));

        // Handed over within the unit, by the officer's colleague.
        await OkAsync("wang", caseNumber, "assign-officer", new { officer = "wang" });
        Assert.Equal("wang", (await RecordAsync(caseNumber)).GetProperty("officer").GetProperty("userName").GetString());
        Assert.Empty(CaseNumbers(await ListAsync("li", "officer=me")));
    }

    [Fact]
    public async Task Whoever_is_not_an_enabled_handler_of_the_unit_is_refused_by_name_and_nothing_changes()
    {
        await SeedOfficersAsync();
        var caseNumber = await NewPetitionAsync();
        await OkAsync("office", caseNumber, "accept", new { unit = "330799-01" });
        var events = await Database.CountAsync("petition_events");

        Assert.Equal("officer-not-in-unit", await RefusedRuleAsync("handler", caseNumber, new { officer = "detective" }));
        Assert.Equal("officer-not-in-unit", await RefusedRuleAsync("handler", caseNumber, new { officer = "neighbour" }));
        Assert.Equal("officer-not-in-unit", await RefusedRuleAsync("handler", caseNumber, new { officer = "office" }));
        Assert.Equal("officer-disabled", await RefusedRuleAsync("handler", caseNumber, new { officer = "zhao" }));
        Assert.Equal("officer-not-handler", await RefusedRuleAsync("handler", caseNumber, new { officer = "clerk" }));
        var unknown = await ActAsync("handler", caseNumber, "assign-officer", new { officer = "nobody" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.True((await JsonAsync(unknown)).GetProperty("errors").TryGetProperty("officer", out _));

        // Only the unit handling it assigns: the office is forbidden, another unit's handler does not see the petition.
        Assert.Equal(HttpStatusCode.Forbidden, (await ActAsync("office", caseNumber, "assign-officer", new { officer = "li" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ActAsync("detective", caseNumber, "assign-officer", new { officer = "li" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ActAsync("neighbour", caseNumber, "assign-officer", new { officer = "li" })).StatusCode);

        Assert.Equal(events, await Database.CountAsync("petition_events"));
        Assert.Equal(0, await Database.CountAsync("petitions", "officer_id IS NOT NULL"));
    }

    [Fact]
    public async Task The_accused_units_handler_is_never_an_officer_and_another_unit_or_the_office_clears_the_officer()
    {
        await SeedOfficersAsync();
        var caseNumber = await NewPetitionAsync(body =>
        {
            body["category"] = "accusation";
            body["involvedUnit"] = "刑事侦查大队";
            body["involvedUnitCode"] = "330799-02";
        });
        await OkAsync("office", caseNumber, "accept", new { unit = "330799-01" });
        Assert.DoesNotContain(await OfficerChoicesAsync("handler", caseNumber) ?? [], c => c.UserName == "detective");
        Assert.Equal("officer-not-in-unit", await RefusedRuleAsync("handler", caseNumber, new { officer = "detective" }));

        await OkAsync("handler", caseNumber, "assign-officer", new { officer = "li" });
        await OkAsync("office", caseNumber, "reassign", new { unit = "330799-03", reason = "涉及治安案件" });
        Assert.Equal(JsonValueKind.Null, (await RecordAsync(caseNumber)).GetProperty("officer").ValueKind);
        Assert.Empty(CaseNumbers(await ListAsync("li", "officer=me")));

        var other = await NewPetitionAsync(body => body["subject"] = "户籍迁移办理缓慢");
        await OkAsync("office", other, "accept", new { unit = "330799-01" });
        await OkAsync("handler", other, "assign-officer", new { officer = "li" });
        await OkAsync("li", other, "return-to-office", new { reason = "不属本单位管辖" });
        Assert.Equal(0, await Database.CountAsync("petitions", "officer_id IS NOT NULL"));
    }

    [Fact]
    public async Task The_public_contact_card_names_the_assigned_officer_where_the_bureau_enables_it()
    {
        await SeedOfficersAsync();
        var registered = await JsonAsync(await RegisterAsync(await TokenAsync("reception"), PetitionBody()));
        var (caseNumber, queryCode) = (registered.GetProperty("caseNumber").GetString()!, registered.GetProperty("queryCode").GetString()!);
        await OkAsync("office", caseNumber, "accept", new { unit = "330799-01" });
        await OkAsync("handler", caseNumber, "assign-officer", new { officer = "li" }); // the demo handler acts last

        async Task<JsonElement> ContactAsync() =>
            (await JsonAsync(await Client.GetAsync($"/api/public/petitions/{caseNumber}?queryCode={queryCode}", Ct))).GetProperty("contact");
        Assert.Equal(JsonValueKind.Null, (await ContactAsync()).ValueKind);

        var enabled = await SendAsync(HttpMethod.Put, "/api/admin/organizations/330799/contact-card", await TokenAsync("admin"),
            JsonContent.Create(new { enabled = true, phone = "0571-87654321" }));
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        var card = await ContactAsync();
        Assert.Equal("李警官", card.GetProperty("officer").GetString());
        Assert.Equal(["officer", "phone", "unit"], card.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)); // nothing more of the officer
        Assert.DoesNotContain("\"li\"", await (await Client.GetAsync($"/api/public/petitions/{caseNumber}?queryCode={queryCode}", Ct)).Content.ReadAsStringAsync(Ct),
            StringComparison.Ordinal);
    }

    private async Task<long> MineCountAsync(string user)
    {
        var bench = await JsonAsync(await SendAsync(HttpMethod.Get, "/api/workbench", await TokenAsync(user)));
        return bench.GetProperty("mine").GetProperty("count").GetInt64();
    }
}
