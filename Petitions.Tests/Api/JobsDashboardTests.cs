using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Api.Hosting;
using Petitions.Domain;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Api;

/// <summary>
/// The jobs dashboard at <c>/jobs</c>: an administrator of the root organization manages jobs; another administrator
/// and a supervisor see it read-only (Hangfire refuses their commands); other roles get the pages' 403, anonymous
/// callers and bearer tokens the sign-in page.
/// </summary>
public abstract partial class JobsDashboardTests(StorageProvider provider, DatabaseServers servers) : ApiTest(provider, servers)
{
    public sealed class OnSqlite(DatabaseServers servers) : JobsDashboardTests(StorageProvider.Sqlite, servers);
    public sealed class OnPostgres(DatabaseServers servers) : JobsDashboardTests(StorageProvider.Postgres, servers);

    /// <summary>A server runs (it installs Hangfire's schema and declares the recurring jobs), but no occurrence falls due.</summary>
    protected override IReadOnlyDictionary<string, string>? Settings => new Dictionary<string, string>
    {
        ["Jobs:Enabled"] = "true",
        ["Jobs:Workers"] = "1",
        ["Jobs:SweepCron"] = "0 0 1 1 *",
        ["Jobs:OutboxCron"] = "0 0 1 1 *",
        ["Jobs:DigestCron"] = "0 0 1 1 *",
        ["Jobs:FinalizeCron"] = "0 0 1 1 *",
        ["Jobs:PurgeCron"] = "0 0 1 1 *",
    };

    private const string RootAdmin = "root-admin";
    private const string OtherCountyAdmin = "admin2";
    private const string OtherCountyReception = "reception2";

    [Fact]
    public async Task An_administrator_of_the_root_organization_pauses_resumes_and_triggers_recurring_jobs()
    {
        await AddRootAdministratorAsync();
        using var admin = await SignedInAsync(RootAdmin);

        var home = await admin.GetAsync("/jobs", Ct);
        var recurring = await admin.GetStringAsync("/jobs/recurring", Ct);
        var pausePage = await admin.GetStringAsync("/jobs/paused", Ct);

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        foreach (var job in new[] { Scheduling.Sweep, Scheduling.Outbox, Scheduling.Digest, Scheduling.Finalize, Scheduling.Purge })
            Assert.Contains(job, recurring, StringComparison.Ordinal);
        Assert.Contains("js-jobs-list-command", pausePage, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await CommandAsync(admin, pausePage, "/jobs/paused/pause", Scheduling.Sweep)).StatusCode);
        Assert.Contains($"{Scheduling.Sweep}</td><td><code>0 0 1 1 *</code></td><td data-state=\"paused\"", await admin.GetStringAsync("/jobs/paused", Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await CommandAsync(admin, pausePage, "/jobs/recurring/trigger", Scheduling.Sweep)).StatusCode);
        Assert.Null(LastJobId(Scheduling.Sweep)); // paused: "Trigger now" creates no job

        Assert.Equal(HttpStatusCode.NoContent, (await CommandAsync(admin, pausePage, "/jobs/paused/resume", Scheduling.Sweep)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await CommandAsync(admin, pausePage, "/jobs/recurring/trigger", Scheduling.Sweep)).StatusCode);
        Assert.NotNull(LastJobId(Scheduling.Sweep));
        Assert.Contains("data-state=\"running\"", await admin.GetStringAsync("/jobs/paused", Ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("admin")]      // an administrator of the county, below the root: the dashboard is the whole deployment's
    [InlineData("supervisor")]
    [InlineData(OtherCountyAdmin)]
    public async Task Others_who_may_see_it_see_it_read_only(string userName)
    {
        await AddOtherCountyAsync();
        using var browser = await SignedInAsync(userName);
        var pausePage = await browser.GetStringAsync("/jobs/paused", Ct);
        var recurring = await browser.GetStringAsync("/jobs/recurring", Ct);

        Assert.Contains(Scheduling.Sweep, recurring, StringComparison.Ordinal);
        Assert.DoesNotContain("js-jobs-list-command", recurring, StringComparison.Ordinal);
        Assert.DoesNotContain("js-jobs-list-command", pausePage, StringComparison.Ordinal);
        foreach (var command in new[] { "/jobs/paused/pause", "/jobs/recurring/trigger", "/jobs/recurring/remove" })
            Assert.Equal(HttpStatusCode.Unauthorized, (await CommandAsync(browser, pausePage, command, Scheduling.Sweep)).StatusCode);
        Assert.Null(LastJobId(Scheduling.Sweep));
        Assert.Contains("data-state=\"running\"", await browser.GetStringAsync("/jobs/paused", Ct), StringComparison.Ordinal);
        Assert.Contains(Scheduling.Sweep, await browser.GetStringAsync("/jobs/recurring", Ct), StringComparison.Ordinal); // not removed
    }

    [Theory]
    [InlineData("handler")]
    [InlineData("office")]
    [InlineData("reception")]
    [InlineData("leader")]
    [InlineData(OtherCountyReception)]
    public async Task Other_roles_are_sent_to_the_denied_page(string userName)
    {
        await AddOtherCountyAsync();
        using var browser = await SignedInAsync(userName);
        foreach (var path in new[] { "/jobs", "/jobs/recurring", "/jobs/paused" })
        {
            var answer = await browser.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
            Assert.StartsWith("/denied", PathOf(answer), StringComparison.Ordinal);
        }
        var trigger = await browser.PostAsync("/jobs/recurring/trigger", new FormUrlEncodedContent([new("jobs[]", Scheduling.Sweep)]), Ct);
        Assert.Equal(HttpStatusCode.Redirect, trigger.StatusCode);
        Assert.Null(LastJobId(Scheduling.Sweep));
    }

    [Fact]
    public async Task Anonymous_callers_and_bearer_tokens_are_sent_to_sign_in()
    {
        var bearer = await TokenAsync("admin");
        using var anonymous = NewBrowser();
        using var withToken = NewBrowser();
        withToken.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);

        foreach (var client in new[] { anonymous, withToken })
        {
            foreach (var path in new[] { "/jobs", "/jobs/recurring", "/jobs/paused", "/jobs/stats", "/jobs/js18250" })
            {
                var answer = await client.GetAsync(path, Ct);
                Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
                Assert.StartsWith("/login?ReturnUrl=%2Fjobs", PathOf(answer), StringComparison.Ordinal);
                Assert.DoesNotContain(Scheduling.Sweep, await answer.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            }
            var trigger = await client.PostAsync("/jobs/recurring/trigger", new FormUrlEncodedContent([new("jobs[]", Scheduling.Sweep)]), Ct);
            Assert.Equal(HttpStatusCode.Redirect, trigger.StatusCode);
        }
        Assert.Null(LastJobId(Scheduling.Sweep));
    }

    /// <summary>A dashboard command as its own script sends it: the selected ids as a form, the page's antiforgery token as a header.</summary>
    private static Task<HttpResponseMessage> CommandAsync(HttpClient browser, string page, string path, string jobId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent([new("jobs[]", jobId)]) };
        request.Headers.Add(CsrfHeader().Match(page).Groups["value"].Value, CsrfToken().Match(page).Groups["value"].Value);
        return browser.SendAsync(request, Ct);
    }

    private string? LastJobId(string recurringJobId)
    {
        using var connection = Api.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetRecurringJobs([recurringJobId]).Single().LastJobId;
    }

    private HttpClient NewBrowser() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() }) { BaseAddress = Client.BaseAddress };

    private async Task<HttpClient> SignedInAsync(string userName)
    {
        var browser = NewBrowser();
        var token = FormToken().Match(await browser.GetStringAsync("/login", Ct)).Groups["token"].Value;
        var signedIn = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["userName"] = userName,
            ["password"] = TestData.Password,
        }), Ct);
        Assert.Equal("/", signedIn.Headers.Location?.OriginalString);
        return browser;
    }

    /// <summary>An administrator at the top of the organization tree (the province in the demo data).</summary>
    private Task AddRootAdministratorAsync() => WithAccountsAsync(async accounts =>
    {
        var province = await accounts.OrganizationByCodeAsync("330000", Ct);
        Assert.Null(province!.ParentId);
        await accounts.AddUserAsync(RootAdmin, "省厅系统管理员", TestData.Password, province, [Role.Admin], Ct);
    });

    /// <summary>A second county beside the demo one, with an administrator and a reception desk of its own.</summary>
    private Task AddOtherCountyAsync() => WithAccountsAsync(async accounts =>
    {
        var city = await accounts.OrganizationByCodeAsync("330700", Ct);
        var county = await accounts.AddOrganizationAsync(city, TestData.OtherCountyCode, "邻县公安局", OrganizationKind.County, Ct);
        await accounts.AddUserAsync(OtherCountyAdmin, "邻县系统管理员", TestData.Password, county, [Role.Admin], Ct);
        await accounts.AddUserAsync(OtherCountyReception, "邻县接访员", TestData.Password, county, [Role.Reception], Ct);
    });

    private async Task WithAccountsAsync(Func<AccountStore, Task> work)
    {
        await using var scope = Api.Services.CreateAsyncScope();
        var session = scope.ServiceProvider.GetRequiredService<DbSession>();
        await session.BeginAsync(Ct);
        await work(scope.ServiceProvider.GetRequiredService<AccountStore>());
        await session.CommitAsync(Ct);
    }

    /// <summary>Where a redirect goes: the cookie handler answers the dashboard's branch with absolute addresses.</summary>
    private static string PathOf(HttpResponseMessage answer) =>
        answer.Headers.Location is { IsAbsoluteUri: true } absolute ? absolute.PathAndQuery : answer.Headers.Location?.OriginalString ?? "";

    [GeneratedRegex("<meta name=\"csrf-header\" content=\"(?<value>[^\"]+)\"")]
    private static partial Regex CsrfHeader();

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"(?<value>[^\"]+)\"")]
    private static partial Regex CsrfToken();
}
