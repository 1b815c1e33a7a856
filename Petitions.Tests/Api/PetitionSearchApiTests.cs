using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Domain;
using Petitions.Tests.Support;
using Petitions.Workflows.Features.Deadlines;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Api;

/// <summary>
/// The petition search over HTTP (<c>GET /api/petitions</c>): each filter and each sort in both directions, paged one
/// row at a time as a client would, the total, the nearest deadline and its colour whatever the clock's warning state,
/// the reach (a unit, another county, the accused unit) and hostile input.
/// </summary>
public abstract class PetitionSearchApiTests(StorageProvider provider, DatabaseServers servers) : ApiTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : PetitionSearchApiTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : PetitionSearchApiTests(StorageProvider.Postgres, servers);

    private const string RepresentativeName = "王五";
    private static readonly string RepresentativeId = TestData.IdNumberFor(new DateOnly(1975, 3, 4), 7);

    /// <summary>Four petitions at the county (the clock stands at 2026-11-20 10:00):
    /// A (the usual petitioner, visit, complaint, noise from building work) accepted to unit 330799-02;
    /// B (a letter received on 10 November, a suggestion about a road, a representative) accepted to 330799-01;
    /// C (by phone, someone else, no ID number) and D (A's petitioner again on the same matter: not a first petition)
    /// still registered, their intake due on 7 December.</summary>
    private sealed record Four(string A, string B, string C, string D);

    private async Task<Four> FourAsync()
    {
        var a = await NewPetitionAsync(_ => { });
        var b = await NewPetitionAsync(body =>
        {
            body["channel"] = "letter";
            body["category"] = "suggestion";
            body["subject"] = "道路破损";
            body["content"] = "城关镇解放路路面塌陷，请求尽快修复。";
            body["petitioner"] = new { name = "李四光", phone = "0579-82123456" };
            body["representatives"] = new[] { new { name = RepresentativeName, idNumber = RepresentativeId } };
            body["peopleCount"] = 3;
            body["receivedAt"] = "2026-11-10T09:00:00+08:00";
        });
        var c = await NewPetitionAsync(body =>
        {
            body["channel"] = "phone";
            body["subject"] = "报警后出警迟缓";
            body["content"] = "上月报警后民警迟迟未到场。";
            body["petitioner"] = new { name = "赵六", phone = "13800000001" };
        });
        var d = await NewPetitionAsync(_ => { });
        await AcceptAsync(a, "330799-02");
        await AcceptAsync(b, "330799-01");
        return new Four(a, b, c, d);
    }

    private async Task AcceptAsync(string caseNumber, string unit)
    {
        var response = await SendAsync(HttpMethod.Post, $"/api/petitions/{caseNumber}/actions/accept", await TokenAsync("office"), JsonContent.Create(new { unit }));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
    }

    private async Task<JsonElement> GetAsync(string query, string user = "office")
    {
        var response = await SendAsync(HttpMethod.Get, "/api/petitions?" + query, await TokenAsync(user));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return await JsonAsync(response);
    }

    private async Task<string[]> FindAsync(string query, string user = "office") =>
        (await GetAsync(query, user)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("caseNumber").GetString()!).ToArray();

    /// <summary>The same search one row a page, following each page's cursor: the rows must come out as on one page.</summary>
    private async Task<string[]> PagedOneByOneAsync(string query)
    {
        var found = new List<string>();
        string? next = null;
        do
        {
            var page = await GetAsync($"{query}&limit=1{(next is null ? "" : "&after=" + Uri.EscapeDataString(next))}");
            found.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("caseNumber").GetString()!));
            next = page.GetProperty("next").GetString();
            Assert.True(found.Count <= 10, "The cursor does not move on.");
        }
        while (next is not null);
        return found.ToArray();
    }

    private async Task SweepAsync()
    {
        await using var scope = Api.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new SweepClocks.Command(), Ct);
    }

    private static HashSet<string> Set(params string[] caseNumbers) => caseNumbers.ToHashSet();

    [Fact]
    public async Task Each_filter_finds_what_it_names_and_the_total_counts_it()
    {
        var (a, b, c, d) = await FourAsync();

        Assert.Equal(Set(a, d), (await FindAsync("text=施工")).ToHashSet()); // content
        Assert.Equal([b], await FindAsync("text=道路")); // subject
        Assert.Equal([b], await FindAsync("text=解放路")); // content
        Assert.Equal(Set(a, d), (await FindAsync("text=噪音%20施工")).ToHashSet()); // every word
        Assert.Empty(await FindAsync("text=噪音%20道路"));
        Assert.Equal([b], await FindAsync("text=" + b[^6..])); // part of the case number
        Assert.Equal([b], await FindAsync("text=" + b.ToLowerInvariant()));
        Assert.Equal(Set(a, d), (await FindAsync("name=张三")).ToHashSet());
        Assert.Equal([b], await FindAsync("name=" + RepresentativeName)); // a representative
        Assert.Equal([b], await FindAsync("name=李四光"));
        Assert.Equal(Set(a, d), (await FindAsync("phone=" + TestData.PetitionerPhone)).ToHashSet());
        Assert.Equal(Set(a, d), (await FindAsync("phone=%2B86%20139%201234%205678")).ToHashSet()); // written as people write it
        Assert.Equal([b], await FindAsync("phone=0579-82123456"));
        Assert.Equal(Set(a, d), (await FindAsync("idNumber=" + TestData.IdNumber.ToLowerInvariant())).ToHashSet());
        Assert.Equal([b], await FindAsync("idNumber=" + RepresentativeId));
        Assert.Empty(await FindAsync("idNumber=" + TestData.IdNumberFor(new DateOnly(1990, 1, 1), 5)));
        Assert.Equal([b], await FindAsync("receivedFrom=2026-11-10&receivedTo=2026-11-10"));
        Assert.Equal(Set(a, c, d), (await FindAsync("receivedFrom=2026-11-20")).ToHashSet());
        Assert.Equal([b], await FindAsync("receivedTo=2026-11-19"));
        Assert.Equal([b], await FindAsync("unit=330799-01"));
        Assert.Equal([a], await FindAsync("unit=330799-02"));
        Assert.Empty(await FindAsync("unit=330799-03"));
        Assert.Empty(await FindAsync("unit=no-such-unit"));
        Assert.Equal([b], await FindAsync("category=suggestion"));
        Assert.Equal([b], await FindAsync("channel=letter"));
        Assert.Equal([c], await FindAsync("channel=phone"));
        Assert.Equal(Set(a, b), (await FindAsync("stage=in-handling")).ToHashSet());
        Assert.Equal(Set(c, d), (await FindAsync("stage=registered")).ToHashSet());
        Assert.Equal([d], await FindAsync("firstPetition=false"));
        Assert.Equal(Set(a, b, c), (await FindAsync("firstPetition=true")).ToHashSet());
        Assert.Empty(await FindAsync("extensionRequested=true"));
        Assert.Equal([d], await FindAsync("name=张三&phone=13912345678&idNumber=" + TestData.IdNumber + "&firstPetition=false&stage=registered&channel=visit&category=complaint&receivedFrom=2026-11-20&receivedTo=2026-11-20&text=施工"));

        var first = await GetAsync("text=施工&limit=1");
        Assert.Equal(2, first.GetProperty("total").GetInt64());
        Assert.Single(first.GetProperty("items").EnumerateArray());
        Assert.Equal(2, (await GetAsync($"text=施工&limit=1&after={first.GetProperty("next").GetString()}")).GetProperty("total").GetInt64());
        Assert.Equal(4, (await GetAsync("")).GetProperty("total").GetInt64());
        Assert.Equal(0, (await GetAsync("text=没有这样的字")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Each_sort_orders_both_ways_and_pages_one_row_at_a_time_in_the_same_order()
    {
        var (a, b, c, d) = await FourAsync();

        // A, C and D were received at the same instant: the id (registration order) breaks the tie.
        Assert.Equal([d, c, a, b], await FindAsync(""));
        Assert.Equal([d, c, a, b], await FindAsync("sort=received"));
        Assert.Equal([b, a, c, d], await FindAsync("sort=received&order=asc"));
        Assert.Equal([d, c, b, a], await FindAsync("sort=case-number"));
        Assert.Equal([a, b, c, d], await FindAsync("sort=case-number&order=asc"));
        Assert.Equal([c, d, a, b], await FindAsync("sort=stage")); // registered, then in handling
        Assert.Equal([b, a, d, c], await FindAsync("sort=stage&order=desc"));
        Assert.Equal([c, d, a, b], await FindAsync("sort=due")); // intake due 7 December, then handling in January
        Assert.Equal([b, a, d, c], await FindAsync("sort=due&order=desc"));
        var byUnit = await FindAsync("sort=unit");
        Assert.Equal([c, d], byUnit[..2]); // not assigned first
        Assert.Equal(Set(a, b), byUnit[2..].ToHashSet());

        foreach (var sort in new[] { "received", "case-number", "stage", "unit", "due" })
        foreach (var order in new[] { "asc", "desc" })
            Assert.Equal(await FindAsync($"sort={sort}&order={order}"), await PagedOneByOneAsync($"sort={sort}&order={order}"));
        Assert.Equal(await FindAsync("text=施工&sort=due"), await PagedOneByOneAsync("text=施工&sort=due"));
    }

    [Fact]
    public async Task A_cursor_of_another_sort_or_a_forged_one_is_a_400()
    {
        await FourAsync();
        var next = (await GetAsync("sort=due&limit=1")).GetProperty("next").GetString()!;

        foreach (var query in new[] { $"sort=received&after={next}", $"sort=due&order=desc&after={next}", "after=AAAAAAAAAAA", "sort=due&after=ZHVlfGF8MXwyMDI2LTEzLTQ1", "after=%F0%9F%98%80" })
        {
            var response = await SendAsync(HttpMethod.Get, "/api/petitions?" + query, await TokenAsync("office"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(["after"], (await JsonAsync(response)).GetProperty("errors").EnumerateObject().Select(p => p.Name));
        }
    }

    [Fact]
    public async Task Every_open_clock_gives_its_due_day_and_colour_whatever_the_sweep_has_marked()
    {
        var (a, b, c, d) = await FourAsync();
        async Task<Dictionary<string, (string? DueOn, string? Warning)>> RowsAsync(string query = "") =>
            (await GetAsync(query)).GetProperty("items").EnumerateArray().ToDictionary(
                i => i.GetProperty("caseNumber").GetString()!,
                i => (i.GetProperty("dueOn").GetString(), i.GetProperty("warning").GetString()));

        Assert.Equal(("2026-12-07", (string?)null), (await RowsAsync())[c]);
        Assert.Empty(await FindAsync("due=next-7-days"));

        Api.Clock.Set(ManualClock.Shanghai(2026, 11, 30));
        Assert.Equal(Set(c, d), (await FindAsync("due=next-7-days")).ToHashSet());
        Assert.Empty(await FindAsync("due=near-due"));

        Api.Clock.Set(ManualClock.Shanghai(2026, 12, 5)); // within the 3 days' lead: amber before the sweep marks it
        Assert.Equal(("2026-12-07", "near-due"), (await RowsAsync())[c]);
        Assert.Equal(Set(c, d), (await FindAsync("due=near-due")).ToHashSet());
        await SweepAsync();
        Assert.Equal(("2026-12-07", "near-due"), (await RowsAsync())[d]);
        Assert.Equal(Set(c, d), (await FindAsync("due=near-due")).ToHashSet());
        Assert.Empty(await FindAsync("due=overdue"));

        Api.Clock.Set(ManualClock.Shanghai(2026, 12, 9)); // past due: red before the sweep, and after it
        Assert.Equal(("2026-12-07", "overdue"), (await RowsAsync())[c]);
        await SweepAsync();
        var rows = await RowsAsync();
        Assert.Equal(("2026-12-07", "overdue"), rows[c]);
        Assert.Equal(("2026-12-07", "overdue"), rows[d]);
        Assert.All(rows.Values, row => Assert.NotNull(row.DueOn)); // every petition has an open clock
        Assert.Null(rows[a].Warning);
        Assert.Equal(Set(c, d), (await FindAsync("due=overdue")).ToHashSet());
        Assert.Empty(await FindAsync("due=near-due"));
        Assert.Equal([c, d, a, b], await FindAsync("sort=due"));
        Assert.Equal(("2026-12-07", "overdue"), (await RowsAsync("due=overdue&sort=due&limit=1"))[c]);
    }

    [Fact]
    public async Task A_unit_finds_only_its_own_and_another_county_finds_nothing_of_ours()
    {
        await TestData.SeedAsync(Api.Services);
        var (a, b, _, _) = await FourAsync();
        var other = await NewPetitionAsync(_ => { }, registrar: "reception2"); // the same person, at the county next door

        Assert.Equal([b], await FindAsync("", "handler")); // the unit's reach is what is assigned to it
        Assert.Empty(await FindAsync("name=张三", "handler"));
        Assert.Empty(await FindAsync("idNumber=" + TestData.IdNumber, "handler"));
        Assert.Equal(1, (await GetAsync("", "handler")).GetProperty("total").GetInt64());
        Assert.DoesNotContain(other, await FindAsync("idNumber=" + TestData.IdNumber));
        Assert.Equal(Set(a), (await FindAsync("idNumber=" + TestData.IdNumber + "&stage=in-handling")).ToHashSet());
        Assert.Equal([other], await FindAsync("idNumber=" + TestData.IdNumber, "reception2"));
        Assert.Equal(1, (await GetAsync("", "reception2")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task An_accusation_is_never_found_by_the_unit_it_accuses()
    {
        var accusation = await NewPetitionAsync(body =>
        {
            body["category"] = "accusation";
            body["subject"] = "检举民警违规";
            body["content"] = "检举城关派出所民警违规收费。";
            body["involvedUnitCode"] = "330799-01";
        });
        await AcceptAsync(accusation, "330799-02");
        await using (var scope = Api.Services.CreateAsyncScope())
        {
            // A user of the accused unit itself, besides its handlers, and a handler of the unit that handles it.
            var accounts = scope.ServiceProvider.GetRequiredService<AccountStore>();
            var session = scope.ServiceProvider.GetRequiredService<DbSession>();
            await session.BeginAsync(Ct);
            await accounts.AddUserAsync("handler2", "刑侦大队承办人", TestData.Password, (await accounts.OrganizationByCodeAsync("330799-02", Ct))!, [Role.Handler], Ct);
            await session.CommitAsync(Ct);
        }

        Assert.Equal([accusation], await FindAsync("text=违规"));
        Assert.Equal([accusation], await FindAsync("text=违规", "handler2"));
        foreach (var query in new[] { "", "text=违规", "category=accusation", "name=张三", "idNumber=" + TestData.IdNumber, "due=next-7-days", "sort=due" })
        {
            Assert.Empty(await FindAsync(query, "handler"));
            Assert.Equal(0, (await GetAsync(query, "handler")).GetProperty("total").GetInt64());
        }
    }

    [Theory]
    [InlineData("receivedFrom=0001-01-01", "receivedFrom")]
    [InlineData("receivedTo=9999-12-31", "receivedTo")]
    [InlineData("limit=1000000", "limit")]
    [InlineData("limit=0", "limit")]
    [InlineData("phone=12345", "phone")]
    [InlineData("idNumber=110105194912310021", "idNumber")]
    [InlineData("idNumber=%27%20OR%201%3D1%20--", "idNumber")]
    [InlineData("sort=subject", "sort")]
    [InlineData("sort=due%3BDROP%20TABLE%20petitions", "sort")]
    [InlineData("order=sideways", "order")]
    [InlineData("due=tomorrow", "due")]
    [InlineData("text=a%20b%20c%20d%20e%20f", "text")]
    public async Task Hostile_search_input_is_a_400_naming_the_field(string query, string field)
    {
        var response = await SendAsync(HttpMethod.Get, "/api/petitions?" + query, await TokenAsync("office"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], (await JsonAsync(response)).GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("text=%27%3B%20DROP%20TABLE%20petitions%3B%20--")]
    [InlineData("text=%25")]
    [InlineData("text=_")]
    [InlineData("text=%5C")]
    [InlineData("name=%25%27%20OR%20%271%27%3D%271")]
    [InlineData("text=%01%1F%7F")]
    [InlineData("name=%E2%80%8B")]
    [InlineData("unit=%27%20OR%201%3D1%20--")]
    public async Task Control_characters_and_SQL_in_the_words_find_nothing_and_change_nothing(string query)
    {
        await FourAsync();

        var found = await GetAsync(query);

        Assert.Empty(found.GetProperty("items").EnumerateArray());
        Assert.Equal(0, found.GetProperty("total").GetInt64());
        Assert.Equal(4, await Database.CountAsync("petitions"));
    }
}
