using System.Net;
using System.Net.Http.Json;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Api;

/// <summary>An anonymous answer carries nothing about any other petition or person; the same person's other petitions
/// are hints for staff, each seeing only those within their own reach.</summary>
public abstract class PublicDoorTests(StorageProvider provider, DatabaseServers servers) : ApiTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : PublicDoorTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : PublicDoorTests(StorageProvider.Postgres, servers);

    private const string Accusation = "控告城关派出所民警刑讯逼供";

    private async Task<string> RegisterAccusationAsync(string user) =>
        (await JsonAsync(await RegisterAsync(await TokenAsync(user), PetitionBody().With("category", "accusation").With("subject", Accusation))))
            .GetProperty("caseNumber").GetString()!;

    [Fact]
    public async Task An_online_submission_tells_nothing_of_the_persons_earlier_petitions()
    {
        var earlier = await RegisterAccusationAsync("reception");

        // Someone who knows the person's phone and ID number submits to the province, above every bureau.
        var response = await Client.PostAsJsonAsync("/api/public/petitions",
            PetitionBody().With("channel", "online").With("bureau", "330000").With("category", "accusation").With("subject", Accusation), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.DoesNotContain(earlier, body, StringComparison.Ordinal);
        Assert.DoesNotContain("派出所", body, StringComparison.Ordinal);
        Assert.Equal(
            ["caseNumber", "intakeDueOn", "intakeDueProvisional", "queryCode", "receivedAt", "stage"],
            (await JsonAsync(response)).EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_office_sees_the_persons_other_petitions_at_triage_within_its_own_reach()
    {
        await TestData.SeedAsync(Api.Services); // the neighbouring county and its desk
        var county = await RegisterAccusationAsync("reception");
        var neighbour = await RegisterAccusationAsync("reception2");
        var again = await RegisterAccusationAsync("reception");

        var record = await JsonAsync(await SendAsync(HttpMethod.Get, $"/api/petitions/{again}", await TokenAsync("office")));
        var registered = await JsonAsync(await RegisterAsync(await TokenAsync("reception2"), PetitionBody().With("subject", Accusation)));
        var shown = record.GetProperty("possibleDuplicates").EnumerateArray().Select(d => d.GetProperty("caseNumber").GetString()).ToList();
        var asLeader = await JsonAsync(await SendAsync(HttpMethod.Get, $"/api/petitions/{again}", await TokenAsync("leader")));

        Assert.Equal([county], shown);
        Assert.DoesNotContain(county, registered.GetRawText(), StringComparison.Ordinal); // the neighbouring county's desk
        Assert.Contains(neighbour, registered.GetRawText(), StringComparison.Ordinal);
        Assert.Empty(asLeader.GetProperty("possibleDuplicates").EnumerateArray());
    }
}
