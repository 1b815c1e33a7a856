using System.Text;
using Microsoft.Data.Sqlite;
using Petitions.Tests.Support;
using Petitions.Workflows;
using Petitions.Workflows.Features.Administration;
using Petitions.Workflows.Features.Petitions;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Workflows.Privacy;

public abstract class PrivacyTests(StorageProvider provider, DatabaseServers servers) : WorkflowTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : PrivacyTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : PrivacyTests(StorageProvider.Postgres, servers);

    private async Task<GetPetition.Response> ViewAsync(string caseNumber, string user) =>
        await Harness.SendAsync(new GetPetition.Query(caseNumber, await Harness.ActorAsync(user)));

    [Fact]
    public async Task Each_role_sees_what_its_post_needs_and_every_full_view_is_audited()
    {
        var journey = new Journey(Harness);
        var caseNumber = (await Harness.SendAsync(TestData.Petition(await journey.ActorAsync("reception")))).CaseNumber;
        await journey.DoAsync(caseNumber, "accept");

        var office = await ViewAsync(caseNumber, "office");
        var handler = await ViewAsync(caseNumber, "handler");
        var leader = await ViewAsync(caseNumber, "leader");

        Assert.Equal((TestData.IdNumber, TestData.PetitionerPhone, TestData.PetitionerAddress), (office.Petitioner.IdNumber, office.Petitioner.Phone, office.Petitioner.Address));
        Assert.Equal(("110105********002X", TestData.PetitionerPhone, TestData.PetitionerAddress), (handler.Petitioner.IdNumber, handler.Petitioner.Phone, handler.Petitioner.Address));
        Assert.Equal(("110105********002X", "139****5678", "示范县城关镇****"), (leader.Petitioner.IdNumber, leader.Petitioner.Phone, leader.Petitioner.Address));
        Assert.Equal(
            [("office", "idNumber,phone,address"), ("handler", "phone,address")],
            (await Database.QueryAsync<(string, string)>(
                "SELECT u.user_name, a.detail FROM audit_log a JOIN users u ON u.id = a.user_id WHERE a.action = 'view-personal-data' ORDER BY a.id")).ToArray());
    }

    [Fact]
    public async Task The_audit_log_answers_admins_and_supervisors_by_case_and_user()
    {
        var journey = new Journey(Harness);
        var caseNumber = await journey.RegisterAsync();
        await journey.DoAsync(caseNumber, "accept");
        await ViewAsync(caseNumber, "office");

        var byCase = await Harness.SendAsync(new ListAudit.Query(caseNumber, null, null, null, null, null, await Harness.ActorAsync("supervisor")));
        var byUser = await Harness.SendAsync(new ListAudit.Query(null, "office", null, null, null, null, await Harness.ActorAsync("admin")));

        Assert.Equal(["view-personal-data", "accept", "RegisterPetition"], byCase.Select(e => e.Action));
        Assert.All(byUser, e => Assert.Equal("office", e.User));
        await Assert.ThrowsAsync<ForbiddenException>(async () =>
            await Harness.SendAsync(new ListAudit.Query(null, null, null, null, null, null, await Harness.ActorAsync("office"))));
    }

    [Fact]
    public async Task A_handling_unit_does_not_see_another_units_petition()
    {
        var journey = new Journey(Harness);
        var caseNumber = await journey.RegisterAsync();
        await journey.DoAsync(caseNumber, "accept", "office", new { unit = "330799-02" }); // 刑事侦查大队, not the handler's 城关派出所

        await Assert.ThrowsAsync<NotFoundException>(() => ViewAsync(caseNumber, "handler"));
        await Assert.ThrowsAsync<NotFoundException>(() => ViewAsync(caseNumber, "reception2")); // another county
    }
}

/// <summary>The embedded database's files themselves (the PostgreSQL rows are checked in RegisterPetitionTests).</summary>
public sealed class DatabaseFileTests(DatabaseServers servers) : WorkflowTest(StorageProvider.Sqlite, servers)
{
    [Fact]
    public async Task The_database_files_hold_no_plaintext_id_number_or_query_code()
    {
        var registered = await Harness.SendAsync(TestData.Petition(await Harness.ActorAsync("reception")) with { IdempotencyKey = "file-check" });
        var path = new SqliteConnectionStringBuilder(Database.ConnectionString).DataSource;

        foreach (var file in new[] { path, path + "-wal" }.Where(File.Exists))
        {
            var bytes = File.ReadAllBytes(file);
            foreach (var secret in new[] { TestData.IdNumber, registered.QueryCode })
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"{secret} found in {Path.GetFileName(file)}");
        }
    }
}
