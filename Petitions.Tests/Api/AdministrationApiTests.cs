using System.Net;
using System.Net.Http.Json;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Api;

/// <summary>The administration requests the pages added: a password reset, a change of roles and the contact-card list,
/// each within the administrator's own subtree.</summary>
public abstract class AdministrationApiTests(StorageProvider provider, DatabaseServers servers) : ApiTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : AdministrationApiTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : AdministrationApiTests(StorageProvider.Postgres, servers);

    private Task<HttpResponseMessage> SignInAsync(string userName, string password) =>
        Client.PostAsJsonAsync("/api/auth/token", new { userName, password }, Ct);

    private Task<HttpResponseMessage> ResetAsync(string? token, string userName, object body) =>
        SendAsync(HttpMethod.Post, $"/api/admin/users/{userName}/password", token, JsonContent.Create(body));

    private async Task<string?> HashAsync(string userName) =>
        (await Database.QueryAsync<string>("SELECT password_hash FROM users WHERE user_name = @UserName", new { UserName = userName })).SingleOrDefault();

    [Fact]
    public async Task An_administrator_gives_a_locked_out_user_a_new_password()
    {
        for (var i = 0; i < 5; i++) await SignInAsync("handler", "wrong-password");
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync("handler", TestData.Password)).StatusCode); // locked

        var reset = await ResetAsync(await TokenAsync("admin"), "handler", new { newPassword = "Handed-Over-2026" });

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync("handler", "Handed-Over-2026")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync("handler", TestData.Password)).StatusCode);
        Assert.Equal(1, await Database.CountAsync("audit_log", "action = 'ResetPassword' AND outcome = 'ok'"));
        Assert.DoesNotContain("Handed-Over-2026", string.Join("\n", Api.Logs.Entries), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reset_is_refused_outside_the_subtree_for_oneself_for_other_roles_and_for_a_short_password()
    {
        await TestData.SeedAsync(Api.Services); // the neighbouring county's desk, and staff at the city and the province
        var admin = await TokenAsync("admin");
        var before = await HashAsync("reception2");

        var elsewhere = await ResetAsync(admin, "reception2", new { newPassword = "Taken-Over-Password-1" });
        var above = await ResetAsync(admin, "city", new { newPassword = "Taken-Over-Password-1" });
        var unknown = await ResetAsync(admin, "nobody", new { newPassword = "Taken-Over-Password-1" });
        var own = await ResetAsync(admin, "admin", new { newPassword = "My-Own-Password-1" });
        var office = await ResetAsync(await TokenAsync("office"), "handler", new { newPassword = "Taken-Over-Password-1" });
        var anonymous = await ResetAsync(null, "handler", new { newPassword = "Taken-Over-Password-1" });
        var shortPassword = await ResetAsync(admin, "handler", new { newPassword = "short" });
        var missing = await ResetAsync(admin, "handler", new { });

        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, above.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("own-password", (await JsonAsync(own)).GetProperty("rule").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, office.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.True((await JsonAsync(shortPassword)).GetProperty("errors").TryGetProperty("newPassword", out _));
        Assert.True((await JsonAsync(missing)).GetProperty("errors").TryGetProperty("newPassword", out _));
        Assert.Equal(before, await HashAsync("reception2"));
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync("handler", TestData.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync("admin", TestData.Password)).StatusCode);
        // The city's administrator reaches the county below it.
        await SendAsync(HttpMethod.Post, "/api/admin/users", await TokenAsync(TestData.ProvinceAdmin), JsonContent.Create(new
        {
            userName = "city-admin", displayName = "市局管理员", password = TestData.Password, organization = "330700", roles = new[] { "admin" },
        }));
        Assert.Equal(HttpStatusCode.NoContent, (await ResetAsync(await TokenAsync("city-admin"), "handler", new { newPassword = "From-The-City-1" })).StatusCode);
    }

    private Task<HttpResponseMessage> SetRolesAsync(string? token, string userName, object body) =>
        SendAsync(HttpMethod.Put, $"/api/admin/users/{userName}/roles", token, JsonContent.Create(body));

    private async Task<List<string>> RolesAsync(string userName) =>
        [.. (await Database.QueryAsync<string>(
            "SELECT r.role FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.user_name = @UserName ORDER BY r.role", new { UserName = userName }))];

    [Fact]
    public async Task An_administrator_gives_a_user_other_roles_which_take_effect_at_the_next_sign_in()
    {
        var desk = await TokenAsync("reception");
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, "/api/supervision/overdue", desk)).StatusCode);

        var changed = await SetRolesAsync(await TokenAsync("admin"), "reception", new { roles = new[] { "reception", "office", "office" } });

        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(["office", "reception"], await RolesAsync("reception"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "/api/petitions", desk)).StatusCode); // its roles were the old ones
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/supervision/overdue", await TokenAsync("reception"))).StatusCode);
        Assert.Equal(1, await Database.CountAsync("audit_log", "action = 'SetUserRoles' AND outcome = 'ok'"));
    }

    [Fact]
    public async Task A_change_of_roles_is_refused_outside_the_subtree_for_oneself_off_the_users_level_and_for_other_roles()
    {
        await TestData.SeedAsync(Api.Services);
        var admin = await TokenAsync("admin");
        var before = new Dictionary<string, List<string>>();
        foreach (var user in new[] { "reception2", "city", "admin", "handler", "office" }) before[user] = await RolesAsync(user);

        var elsewhere = await SetRolesAsync(admin, "reception2", new { roles = new[] { "admin" } });
        var above = await SetRolesAsync(admin, "city", new { roles = new[] { "reception" } });
        var unknown = await SetRolesAsync(admin, "nobody", new { roles = new[] { "reception" } });
        var own = await SetRolesAsync(admin, "admin", new { roles = new[] { "admin", "supervisor" } });
        var unitUser = await SetRolesAsync(admin, "handler", new { roles = new[] { "handler", "office" } });
        var bureauUser = await SetRolesAsync(admin, "office", new { roles = new[] { "handler" } });
        var unknownRole = await SetRolesAsync(admin, "office", new { roles = new[] { "root" } });
        var none = await SetRolesAsync(admin, "office", new { roles = Array.Empty<string>() });
        var missing = await SetRolesAsync(admin, "office", new { });
        var office = await SetRolesAsync(await TokenAsync("office"), "handler", new { roles = new[] { "handler" } });
        var anonymous = await SetRolesAsync(null, "handler", new { roles = new[] { "handler" } });

        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, above.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("own-roles", (await JsonAsync(own)).GetProperty("rule").GetString());
        Assert.Equal("role-level", (await JsonAsync(unitUser)).GetProperty("rule").GetString());
        Assert.Equal("role-level", (await JsonAsync(bureauUser)).GetProperty("rule").GetString());
        foreach (var invalid in new[] { unknownRole, none, missing })
            Assert.Contains((await JsonAsync(invalid)).GetProperty("errors").EnumerateObject(), e => e.Name.StartsWith("roles", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, office.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        foreach (var (user, roles) in before) Assert.Equal(roles, await RolesAsync(user));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/admin/accounts", admin)).StatusCode); // the refusals ended no session
    }

    [Fact]
    public async Task The_contact_cards_of_the_subtree_and_nothing_else()
    {
        await TestData.SeedAsync(Api.Services);
        var admin = await TokenAsync("admin");
        await SendAsync(HttpMethod.Put, "/api/admin/organizations/330799/contact-card", admin, JsonContent.Create(new { enabled = true, phone = "0579-82001234" }));
        await SendAsync(HttpMethod.Put, "/api/admin/organizations/330799-01/contact-card", admin, JsonContent.Create(new { enabled = false, phone = "13905790001" }));
        await SendAsync(HttpMethod.Put, $"/api/admin/organizations/{TestData.OtherCountyCode}/contact-card", await TokenAsync(TestData.ProvinceAdmin),
            JsonContent.Create(new { enabled = true, phone = "0579-83000000" }));

        var cards = (await JsonAsync(await SendAsync(HttpMethod.Get, "/api/admin/contact-cards", admin))).EnumerateArray().ToList();
        var forOffice = await SendAsync(HttpMethod.Get, "/api/admin/contact-cards", await TokenAsync("office"));
        var anonymous = await SendAsync(HttpMethod.Get, "/api/admin/contact-cards", null);

        Assert.Equal(["330799", "330799-01", "330799-02", "330799-03"], cards.Select(c => c.GetProperty("code").GetString()));
        Assert.True(cards[0].GetProperty("enabled").GetBoolean());
        Assert.Equal("0579-82001234", cards[0].GetProperty("phone").GetString());
        Assert.False(cards[1].GetProperty("enabled").GetBoolean());
        Assert.Equal("13905790001", cards[1].GetProperty("phone").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, cards[2].GetProperty("phone").ValueKind);
        Assert.Equal(HttpStatusCode.Forbidden, forOffice.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var root = (await JsonAsync(await SendAsync(HttpMethod.Get, "/api/admin/contact-cards", await TokenAsync(TestData.ProvinceAdmin)))).EnumerateArray().ToList();
        Assert.Contains(root, c => c.GetProperty("code").GetString() == TestData.OtherCountyCode && c.GetProperty("enabled").GetBoolean());
        Assert.Equal("330000", root[0].GetProperty("code").GetString());
    }
}
