using System.Net;
using System.Net.Http.Json;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Api;

public sealed class AuthApiTests(DatabaseServers servers) : ApiTest(StorageProvider.Sqlite, servers)
{
    [Fact]
    public async Task A_user_exchanges_name_and_password_for_a_bearer_token()
    {
        var response = await Client.PostAsJsonAsync("/api/auth/token", new { userName = "reception", password = TestData.Password }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("accessToken").GetString()));
        Assert.Equal(3600, body.GetProperty("expiresIn").GetInt64());
    }

    [Theory]
    [InlineData("reception", "wrong")]
    [InlineData("nobody", TestData.Password)]
    public async Task Wrong_credentials_get_the_same_401_problem(string userName, string password)
    {
        var response = await Client.PostAsJsonAsync("/api/auth/token", new { userName, password }, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Petitions.Workflows.Features.Accounts.SignIn.Refused, (await JsonAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Missing_credentials_are_a_400_naming_the_fields()
    {
        var response = await Client.PostAsJsonAsync("/api/auth/token", new { userName = "" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await JsonAsync(response)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("userName", out _));
        Assert.True(errors.TryGetProperty("password", out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("forged-token")]
    public async Task Staff_endpoints_answer_401_problems_without_a_valid_token(string? token)
    {
        var response = await SendAsync(HttpMethod.Get, "/api/petitions/XF-330799-2026-000001", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_token_expires_after_its_lifetime()
    {
        var token = await TokenAsync("reception");
        Api.Clock.Advance(TimeSpan.FromMinutes(61));

        var response = await SendAsync(HttpMethod.Get, "/api/petitions/XF-330799-2026-000001", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_role_without_the_right_gets_403_and_nothing_is_written()
    {
        var response = await RegisterAsync(await TokenAsync("handler"), PetitionBody());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, await Database.CountAsync("petitions"));
    }
}
