using System.Net;
using System.Net.Http.Json;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Api;

public sealed class AccountsApiTests(DatabaseServers servers) : ApiTest(StorageProvider.Sqlite, servers)
{
    private Task<HttpResponseMessage> SignInAsync(string userName, string password) =>
        Client.PostAsJsonAsync("/api/auth/token", new { userName, password }, Ct);

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_for_a_while()
    {
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync("office", "wrong-password")).StatusCode);

        var locked = await SignInAsync("office", TestData.Password);
        Api.Clock.Advance(TimeSpan.FromMinutes(16));
        var later = await SignInAsync("office", TestData.Password);

        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        Assert.Contains("locked", (await JsonAsync(locked)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.Equal(7, await Database.CountAsync("audit_log", "action = 'sign-in'"));
    }

    [Fact]
    public async Task A_disabled_users_token_stops_working_at_once()
    {
        var handler = await TokenAsync("handler");
        var admin = await TokenAsync("admin");

        var disabled = await SendAsync(HttpMethod.Post, "/api/admin/users/handler/disable", admin);
        var withOldToken = await SendAsync(HttpMethod.Get, "/api/petitions", handler);
        var signIn = await SignInAsync("handler", TestData.Password);
        await SendAsync(HttpMethod.Post, "/api/admin/users/handler/enable", admin);
        var again = await SignInAsync("handler", TestData.Password);

        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withOldToken.StatusCode);
        Assert.Equal(Petitions.Workflows.Features.Accounts.SignIn.Refused, (await JsonAsync(signIn)).GetProperty("detail").GetString()); // the answer of a wrong password
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, "/api/admin/users/office/disable", await TokenAsync("office"))).StatusCode);
    }

    [Fact]
    public async Task A_user_changes_their_password()
    {
        var token = await TokenAsync("handler");

        var wrongCurrent = await SendAsync(HttpMethod.Post, "/api/auth/password", token, JsonContent.Create(new { currentPassword = "nope", newPassword = "A-new-password-1" }));
        var tooShort = await SendAsync(HttpMethod.Post, "/api/auth/password", token, JsonContent.Create(new { currentPassword = TestData.Password, newPassword = "short" }));
        var changed = await SendAsync(HttpMethod.Post, "/api/auth/password", token, JsonContent.Create(new { currentPassword = TestData.Password, newPassword = "A-new-password-1" }));

        Assert.True((await JsonAsync(wrongCurrent)).GetProperty("errors").TryGetProperty("currentPassword", out _));
        Assert.True((await JsonAsync(tooShort)).GetProperty("errors").TryGetProperty("newPassword", out _));
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync("handler", TestData.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync("handler", "A-new-password-1")).StatusCode);
    }

    [Fact]
    public async Task An_administrator_adds_a_unit_and_its_user()
    {
        var admin = await TokenAsync("admin");

        var unit = await SendAsync(HttpMethod.Post, "/api/admin/organizations", admin,
            JsonContent.Create(new { parent = "330799", code = "330799-04", name = "交通管理大队", kind = "unit" }));
        var user = await SendAsync(HttpMethod.Post, "/api/admin/users", admin,
            JsonContent.Create(new { userName = "traffic", displayName = "交警大队承办人", password = "Traffic-pass-1", organization = "330799-04", roles = new[] { "handler" } }));
        var takenCode = await SendAsync(HttpMethod.Post, "/api/admin/organizations", admin,
            JsonContent.Create(new { parent = "330799", code = "330799-04", name = "重复", kind = "unit" }));
        var unitUnderUnit = await SendAsync(HttpMethod.Post, "/api/admin/organizations", admin,
            JsonContent.Create(new { parent = "330799-04", code = "330799-04-1", name = "中队", kind = "unit" }));
        var badRole = await SendAsync(HttpMethod.Post, "/api/admin/users", admin,
            JsonContent.Create(new { userName = "x1", displayName = "x", password = "Long-enough-1", organization = "330799", roles = new[] { "king" } }));
        var accounts = await JsonAsync(await SendAsync(HttpMethod.Get, "/api/admin/accounts", admin));

        Assert.Equal(HttpStatusCode.OK, unit.StatusCode);
        Assert.Equal(HttpStatusCode.OK, user.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync("traffic", "Traffic-pass-1")).StatusCode);
        Assert.Equal(("code-taken", "organization-tree"), ((await JsonAsync(takenCode)).GetProperty("rule").GetString(), (await JsonAsync(unitUnderUnit)).GetProperty("rule").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, badRole.StatusCode);
        Assert.Contains(accounts.GetProperty("users").EnumerateArray(), u => u.GetProperty("userName").GetString() == "traffic");
    }
}
