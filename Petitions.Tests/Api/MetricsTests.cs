using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Support;
using Petitions.Workflows.Features.Deadlines;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Api;

/// <summary>
/// <c>/metrics</c>: Prometheus text with ASP.NET Core's meters and ours, for administrators (token or cookie) and the
/// configured address ranges; nobody else, and no personal data or case number in any label.
/// </summary>
public abstract class MetricsTests(StorageProvider provider, DatabaseServers servers) : ApiTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : MetricsTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : MetricsTests(StorageProvider.Postgres, servers);

    private Task<HttpResponseMessage> ScrapeAsync(string? token) => SendAsync(HttpMethod.Get, "/metrics", token);

    /// <summary>Waits until the one slot is free: a request's session lets go of it as the request's scope ends, which
    /// may be just after its client has the answer.</summary>
    private Task SlotFreeAsync()
    {
        var work = Api.Services.GetRequiredService<Database>().Work;
        return Progress.UntilAsync(() => Task.FromResult((long)(work.Limit - work.InUse)), work.Limit, "the last request's session let go of its slot");
    }

    [Fact]
    public async Task An_administrator_reads_the_services_and_the_workflows_metrics_without_personal_data()
    {
        var reception = await TokenAsync("reception");
        var registered = await JsonAsync(await RegisterAsync(reception, PetitionBody()));
        var caseNumber = registered.GetProperty("caseNumber").GetString()!;
        Api.Clock.Set(ManualClock.Shanghai(2026, 12, 31)); // its intake clock is overdue
        await SlotFreeAsync();
        await using (var scope = Api.Services.CreateAsyncScope())
        {
            var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
            Assert.Equal(1, (await mediator.Send(new SweepClocks.Command(), Ct)).Overdue);
            var notice = Assert.Single(await Database.QueryAsync<long>("SELECT id FROM outbox")); // to the office
            Assert.True(await mediator.Send(new DeliverNotification.Command(notice), Ct)); // what its delivery job does
        }

        var response = await ScrapeAsync(await TokenAsync("admin"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync(Ct);
        AtLeastOnce(text, "petitions_registrations_total", "channel=\"visit\"");
        AtLeastOnce(text, "petitions_sweep_passes_total");
        AtLeastOnce(text, "petitions_sweep_escalations_total", "level=\"overdue\"");
        AtLeastOnce(text, "petitions_notifications_total", "outcome=\"sent\"");
        // The limit is a gauge of each host; hosts of other classes running in this process at the same time export one
        // series of that name between them, so this host's value (1) is not always the one shown.
        Assert.NotEmpty(Values(text, "petitions_db_work_limit"));
        Assert.NotEmpty(Values(text, "petitions_db_work_in_use"));
        Assert.NotEmpty(Values(text, "petitions_db_work_queued"));
        AtLeastOnce(text, "http_server_request_duration_seconds_count", "http_route=\"/api/petitions/\""); // ASP.NET Core's own
        foreach (var personal in new[] { caseNumber, TestData.PetitionerName, TestData.PetitionerPhone, TestData.IdNumber, TestData.PetitionerAddress })
            Assert.DoesNotContain(personal, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_action_counts_by_its_code_and_a_signed_in_administrator_reads_it_with_the_pages_cookie()
    {
        var registered = await JsonAsync(await RegisterAsync(await TokenAsync("reception"), PetitionBody()));
        var accepted = await SendAsync(
            HttpMethod.Post, $"/api/petitions/{registered.GetProperty("caseNumber").GetString()}/actions/accept", await TokenAsync("office"),
            System.Net.Http.Json.JsonContent.Create(new { unit = "330799-01" }));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        await SignInAsync("admin");

        var response = await Browser.GetAsync("/metrics", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AtLeastOnce(await response.Content.ReadAsStringAsync(Ct), "petitions_actions_total", "action=\"accept\"");
    }

    [Fact]
    public async Task Anyone_else_is_refused_anonymous_staff_and_a_disabled_administrator()
    {
        var anonymous = await ScrapeAsync(null);
        var office = await ScrapeAsync(await TokenAsync("office"));
        var adminToken = await TokenAsync("admin");
        var disable = await SendAsync(HttpMethod.Post, "/api/admin/users/admin/disable", await TokenAsync(TestData.ProvinceAdmin));
        Assert.True(disable.IsSuccessStatusCode);
        var disabled = await ScrapeAsync(adminToken);
        await SignInAsync("office");
        var officeCookie = await Browser.GetAsync("/metrics", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, office.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, disabled.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, officeCookie.StatusCode);
        foreach (var refused in new[] { anonymous, office, disabled, officeCookie })
            Assert.DoesNotContain("petitions_", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_503_for_want_of_database_capacity_is_counted_and_says_when_to_come_back()
    {
        var admin = await TokenAsync("admin");
        var reception = await TokenAsync("reception");
        var database = Api.Services.GetRequiredService<Database>();
        HttpResponseMessage answer;
        await SlotFreeAsync();
        // Every slot taken (MaxConcurrentWork is 1 here) and no queue: the registration is refused at once.
        await using (var holder = new DbSession(database))
        {
            await holder.ScalarAsync<long>("SELECT COUNT(*) FROM petitions", null, Ct);
            answer = await RegisterAsync(reception, PetitionBody(), Guid.NewGuid().ToString());
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(1), answer.Headers.RetryAfter?.Delta);
        Assert.Equal(0, await Database.CountAsync("petitions"));
        AtLeastOnce(await (await ScrapeAsync(admin)).Content.ReadAsStringAsync(Ct), "petitions_backpressure_refusals_total", "reason=\"queue-full\"");
    }

    [Fact]
    public async Task A_person_at_the_pages_is_shown_the_busy_page_which_needs_no_database()
    {
        await SignInAsync("office");
        var database = Api.Services.GetRequiredService<Database>();
        HttpResponseMessage answer;
        await SlotFreeAsync();
        await using (var holder = new DbSession(database))
        {
            await holder.ScalarAsync<long>("SELECT COUNT(*) FROM petitions", null, Ct);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/cases");
            request.Headers.Accept.ParseAdd("text/html");
            answer = await Browser.SendAsync(request, Ct);
        }

        var page = await answer.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
        Assert.Equal("text/html", answer.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h1>系统繁忙</h1>", page, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(1), answer.Headers.RetryAfter?.Delta);
    }

    /// <summary>
    /// The values of the series of <paramref name="metric"/> that have <paramref name="label"/> among their labels (the
    /// exporter adds its own, such as the meter's name). OpenTelemetry subscribes to meters by name, so in this test
    /// process, where other classes' hosts run at the same time, a scrape also holds their series: counts are at least
    /// what this test did, and a host's own gauge is one of the values.
    /// </summary>
    private static IReadOnlyList<double> Values(string text, string metric, string? label = null)
    {
        var series = Regex.Matches(text, $@"(?m)^{Regex.Escape(metric)}\{{[^}}]*{(label is null ? "" : Regex.Escape(label) + "[^}]*")}\}} (\S+)$");
        Assert.True(series.Count > 0, $"No series {metric} {label} in:\n{text}");
        return series.Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
    }

    private static void AtLeastOnce(string text, string metric, string? label = null) => Assert.True(Values(text, metric, label).Sum() >= 1, $"{metric} {label} counted nothing");

    protected override IReadOnlyDictionary<string, string>? Settings => new Dictionary<string, string>
    {
        ["Storage:MaxConcurrentWork"] = "1",
        ["Storage:WorkQueueLimit"] = "0",
    };
}

/// <summary>A configured address range reads <c>/metrics</c> without signing in; another range does not let loopback in.</summary>
public abstract class MetricsNetworkTests(StorageProvider provider, DatabaseServers servers, string networks, HttpStatusCode expected) : ApiTest(provider, servers)
{
    public sealed class Loopback(DatabaseServers servers) : MetricsNetworkTests(StorageProvider.Sqlite, servers, "10.0.0.0/8, 127.0.0.0/8", HttpStatusCode.OK);
    public sealed class Elsewhere(DatabaseServers servers) : MetricsNetworkTests(StorageProvider.Sqlite, servers, "10.0.0.0/8", HttpStatusCode.Unauthorized);

    /// <summary>
    /// The values of the series of <paramref name="metric"/> that have <paramref name="label"/> among their labels (the
    /// exporter adds its own, such as the meter's name). OpenTelemetry subscribes to meters by name, so in this test
    /// process, where other classes' hosts run at the same time, a scrape also holds their series: counts are at least
    /// what this test did, and a host's own gauge is one of the values.
    /// </summary>
    private static IReadOnlyList<double> Values(string text, string metric, string? label = null)
    {
        var series = Regex.Matches(text, $@"(?m)^{Regex.Escape(metric)}\{{[^}}]*{(label is null ? "" : Regex.Escape(label) + "[^}]*")}\}} (\S+)$");
        Assert.True(series.Count > 0, $"No series {metric} {label} in:\n{text}");
        return series.Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
    }

    private static void AtLeastOnce(string text, string metric, string? label = null) => Assert.True(Values(text, metric, label).Sum() >= 1, $"{metric} {label} counted nothing");

    protected override IReadOnlyDictionary<string, string>? Settings => new Dictionary<string, string> { ["Metrics:AllowedNetworks"] = networks };

    [Fact]
    public async Task An_anonymous_scrape_from_loopback()
    {
        var response = await SendAsync(HttpMethod.Get, "/metrics", null);

        Assert.Equal(expected, response.StatusCode);
    }
}
