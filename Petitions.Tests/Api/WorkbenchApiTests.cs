using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Domain;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Api;

/// <summary>
/// The workbench (<c>GET /api/workbench</c>, the home page's numbers) for each role: its queues' counts with amber and
/// red, what falls due in the next 7 days, the orders awaiting the unit's answer, the boards' totals; each within the
/// caller's reach. And the supervision orders a handler reads: their own unit's, nothing of another's.
/// </summary>
public abstract class WorkbenchApiTests(StorageProvider provider, DatabaseServers servers) : ApiTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : WorkbenchApiTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : WorkbenchApiTests(StorageProvider.Postgres, servers);

    private async Task<JsonElement> PostAsync(string path, string user, object body)
    {
        var response = await SendAsync(HttpMethod.Post, path, await TokenAsync(user), JsonContent.Create(body));
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return await JsonAsync(response);
    }

    private async Task<JsonElement> WorkbenchAsync(string user)
    {
        var response = await SendAsync(HttpMethod.Get, "/api/workbench", await TokenAsync(user));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{user}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return await JsonAsync(response);
    }

    private static Dictionary<string, (long Count, long NearDue, long Overdue)> Queues(JsonElement bench) =>
        bench.GetProperty("queues").EnumerateArray().ToDictionary(
            q => q.GetProperty("queue").GetString()!,
            q => (q.GetProperty("count").GetInt64(), q.GetProperty("nearDue").GetInt64(), q.GetProperty("overdue").GetInt64()));

    private async Task AddUserAsync(string userName, string organization)
    {
        await using var scope = Api.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountStore>();
        var session = scope.ServiceProvider.GetRequiredService<DbSession>();
        await session.BeginAsync(Ct);
        await accounts.AddUserAsync(userName, userName, TestData.Password, (await accounts.OrganizationByCodeAsync(organization, Ct))!, [Role.Handler], Ct);
        await session.CommitAsync(Ct);
    }

    [Fact]
    public async Task Each_role_sees_its_queues_with_amber_and_red_and_what_falls_due_this_week()
    {
        await TestData.SeedAsync(Api.Services);
        var registered = await NewPetitionAsync(); // intake due 2026-12-07
        var late = await NewPetitionAsync(body => body["receivedAt"] = "2026-11-01T09:00:00+08:00"); // intake due 2026-11-16: red now
        // Another matter of the same person: the same one still in intake would be refused as a repeat at acceptance.
        var handled = await NewPetitionAsync(body => body["subject"] = "户籍迁移办理缓慢");
        await PostAsync($"/api/petitions/{handled}/actions/accept", "office", new { unit = "330799-01" });
        await NewPetitionAsync(registrar: "reception2"); // the county next door: never counted here

        var office = await WorkbenchAsync("office");
        Assert.Equal(["triage", "opinions", "service", "return-visits", "reviews", "rereviews"], Queues(office).Keys);
        Assert.Equal((2, 0, 1), Queues(office)["triage"]);
        Assert.Equal((0, 0, 0), Queues(office)["service"]);
        Assert.Equal(0, office.GetProperty("dueSoon").GetProperty("total").GetInt64());
        Assert.Equal(0, office.GetProperty("awaitingAnswer").GetProperty("count").GetInt64());
        Assert.Equal(1, office.GetProperty("boards").GetProperty("overdue").GetInt64()); // the board counts the late clock before the sweep

        var handler = await WorkbenchAsync("handler");
        Assert.Equal(["handling", "service", "return-visits"], Queues(handler).Keys);
        Assert.Equal((1, 0, 0), Queues(handler)["handling"]);
        Assert.Equal(JsonValueKind.Null, handler.GetProperty("boards").ValueKind);

        var leader = await WorkbenchAsync("leader");
        Assert.Equal(["extensions", "opinions", "reviews", "rereviews"], Queues(leader).Keys);
        Assert.Equal(JsonValueKind.Null, leader.GetProperty("awaitingAnswer").ValueKind);
        Assert.Equal(["return-visits"], Queues(await WorkbenchAsync("supervisor")).Keys);

        await PostAsync($"/api/petitions/{handled}/actions/request-extension", "handler", new { days = 30, reason = "案情复杂" });
        Assert.Equal((1, 0, 0), Queues(await WorkbenchAsync("leader"))["extensions"]);
        Assert.Equal((1, 0, 0), Queues(await WorkbenchAsync("handler"))["handling"]);

        Api.Clock.Set(ManualClock.Shanghai(2026, 12, 5)); // the registered one is near due, within the next 7 days
        office = await WorkbenchAsync("office");
        Assert.Equal((2, 1, 1), Queues(office)["triage"]);
        var dueSoon = office.GetProperty("dueSoon");
        Assert.Equal(1, dueSoon.GetProperty("total").GetInt64());
        Assert.Equal(registered, dueSoon.GetProperty("items")[0].GetProperty("caseNumber").GetString());
        Assert.Equal("near-due", dueSoon.GetProperty("items")[0].GetProperty("warning").GetString());
        Assert.DoesNotContain(late, dueSoon.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("caseNumber").GetString()));
        Assert.Equal(1, (await WorkbenchAsync("reception2")).GetProperty("dueSoon").GetProperty("total").GetInt64()); // their own only
    }

    [Fact]
    public async Task A_handler_reads_the_orders_of_their_own_unit_only()
    {
        var ours = await NewPetitionAsync();
        var theirs = await NewPetitionAsync(body => body["subject"] = "户籍迁移办理缓慢"); // another matter: not a repeat
        await PostAsync($"/api/petitions/{ours}/actions/accept", "office", new { unit = "330799-01" });
        await PostAsync($"/api/petitions/{theirs}/actions/accept", "office", new { unit = "330799-02" });
        var ourOrder = await PostAsync("/api/supervision/orders", "supervisor", new { caseNumber = ours, problem = "进度缓慢", requirement = "三日内报告" });
        var theirOrder = await PostAsync("/api/supervision/orders", "supervisor", new { caseNumber = theirs, problem = "超期未办", requirement = "说明原因" });
        await AddUserAsync("handler2", "330799-02");

        async Task<long[]> OrdersAsync(string user, string query = "")
        {
            var response = await SendAsync(HttpMethod.Get, "/api/supervision/orders" + query, await TokenAsync(user));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{user}: {(int)response.StatusCode}");
            return (await JsonAsync(response)).EnumerateArray().Select(o => o.GetProperty("id").GetInt64()).ToArray();
        }

        Assert.Equal([ourOrder.GetProperty("id").GetInt64()], await OrdersAsync("handler"));
        Assert.Equal([ourOrder.GetProperty("id").GetInt64()], await OrdersAsync("handler", "?state=issued"));
        Assert.Empty(await OrdersAsync("handler", "?state=answered"));
        Assert.Equal([theirOrder.GetProperty("id").GetInt64()], await OrdersAsync("handler2"));
        Assert.Equal(2, (await OrdersAsync("office")).Length);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"/api/supervision/orders?caseNumber={theirs}", await TokenAsync("handler"))).StatusCode);

        var handler = (await WorkbenchAsync("handler")).GetProperty("awaitingAnswer");
        Assert.Equal(1, handler.GetProperty("count").GetInt64());
        Assert.Equal([ours], handler.GetProperty("newest").EnumerateArray().Select(o => o.GetProperty("caseNumber").GetString()));
        var office = await WorkbenchAsync("office");
        Assert.Equal(2, office.GetProperty("awaitingAnswer").GetProperty("count").GetInt64());
        Assert.Equal(2, office.GetProperty("boards").GetProperty("openOrders").GetInt64());

        await PostAsync($"/api/supervision/orders/{ourOrder.GetProperty("id").GetInt64()}/response", "handler", new { response = "已约谈施工方" });
        Assert.Equal(0, (await WorkbenchAsync("handler")).GetProperty("awaitingAnswer").GetProperty("count").GetInt64());
        Assert.Equal(1, (await WorkbenchAsync("handler2")).GetProperty("awaitingAnswer").GetProperty("count").GetInt64());
        office = await WorkbenchAsync("office");
        Assert.Equal(1, office.GetProperty("awaitingAnswer").GetProperty("count").GetInt64());
        Assert.Equal(2, office.GetProperty("boards").GetProperty("openOrders").GetInt64()); // answered, not yet closed

        // The pages: the orders page opens to handlers, with their own unit's orders only.
        await SignInAsync("handler2");
        var page = await Browser.GetStringAsync("/supervision/orders", Ct);
        Assert.Contains(theirs, page, StringComparison.Ordinal);
        Assert.DoesNotContain(ours, page, StringComparison.Ordinal);
        var home = await Browser.GetStringAsync("/", Ct);
        Assert.Contains(theirs, home, StringComparison.Ordinal);
        Assert.DoesNotContain(ours, home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_administrator_who_reads_no_petitions_gets_a_403_and_a_home_page_counting_only_what_they_administer()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, "/api/workbench", await TokenAsync("admin"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "/api/workbench", null)).StatusCode);
        await SignInAsync("admin");
        var home = await Browser.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        var page = await home.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("data-testid=\"queues\"", page, StringComparison.Ordinal);
        // The county's administrator counts the county's organizations, never the city's or the province's.
        var county = await Database.CountAsync("organizations", "code LIKE '330799%'");
        Assert.True(county < await Database.CountAsync("organizations", "1 = 1"));
        Assert.Contains($"data-testid=\"count-organizations\">{county}<", page, StringComparison.Ordinal);
    }
}
