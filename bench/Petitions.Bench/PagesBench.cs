using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Petitions.Domain;
using Petitions.Workflows.Privacy;
using Petitions.Workflows.Storage;

namespace Petitions.Bench;

/// <summary>
/// The staff pages as a browser asks for them (cookie sign-in, whole HTML page) over a <see cref="Population"/> of
/// <c>petitions</c> petitions: each page asked <see cref="Calls"/> times one after another after a warm-up, for the
/// median and the slowest answer.
/// </summary>
internal sealed partial class PagesBench(int petitions)
{
    private const int Calls = 30;

    public sealed record Page(string User, string Path, TimeSpan P50, TimeSpan Slowest, int Bytes);

    public sealed record Figures(int Petitions, IReadOnlyList<Page> Pages);

    public async Task<Figures> RunAsync(StorageProvider provider, string connectionString)
    {
        var keys = PersonalDataKeys.Generate();
        var seeding = provider == StorageProvider.Postgres ? new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ConnectionString : connectionString;
        string caseNumber;
        await using (var services = BenchServices.Compose(provider, seeding, keys))
        {
            await BenchServices.PrepareAsync(services);
            var database = services.GetRequiredService<Database>();
            await new Population(petitions, ShanghaiTime.DateOf(TimeProvider.System.GetUtcNow())).SeedAsync(database);
            await using var session = new DbSession(database);
            caseNumber = await session.ScalarAsync<string>(
                "SELECT case_number FROM petitions WHERE id = (SELECT MAX(petition_id) FROM petition_events WHERE action = 'accept')", null, CancellationToken.None)
                ?? throw new InvalidOperationException("The population has no accepted petition.");
        }

        await using var service = await ServiceProcess.StartAsync(provider, connectionString, keys);
        var pages = new List<Page>();
        foreach (var (user, paths) in new[]
        {
            ("office", new[] { "/", "/cases", "/cases?queue=triage", "/cases?queue=service", $"/cases/{caseNumber}", "/supervision", "/supervision?level=near-due", "/supervision/orders" }),
            ("leader", new[] { "/cases?queue=opinions", "/cases?queue=extensions", "/reports" }),
            ("handler", new[] { "/cases?queue=handling" }),
        })
        {
            using var browser = await SignedInAsync(service.Address, user);
            foreach (var path in paths) pages.Add(await TimeAsync(browser, user, path));
        }
        return new Figures(petitions, pages);
    }

    internal static async Task<Page> TimeAsync(HttpClient browser, string user, string path)
    {
        async Task<(TimeSpan, int)> Get()
        {
            var watch = Stopwatch.StartNew();
            using var response = await browser.GetAsync(path);
            var body = await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{path} as {user}: {(int)response.StatusCode}");
            return (watch.Elapsed, body.Length);
        }
        for (var i = 0; i < 3; i++) await Get();
        var times = new List<TimeSpan>();
        var bytes = 0;
        for (var i = 0; i < Calls; i++)
        {
            var (elapsed, length) = await Get();
            times.Add(elapsed);
            bytes = length;
        }
        times.Sort();
        return new Page(user, path, times[Calls / 2], times[^1], bytes);
    }

    /// <summary>A client that keeps cookies, signed in at the form as a person would be.</summary>
    internal static async Task<HttpClient> SignedInAsync(Uri address, string user)
    {
        var browser = new HttpClient(new SocketsHttpHandler { UseCookies = true, CookieContainer = new(), AllowAutoRedirect = false }) { BaseAddress = address };
        var form = await browser.GetStringAsync("/login");
        var token = FormToken().Match(form).Groups["token"].Value;
        using var signedIn = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["userName"] = user,
            ["password"] = BenchServices.Password,
        }));
        if (signedIn.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"Sign-in as {user}: {(int)signedIn.StatusCode}");
        return browser;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*?value=\"(?<token>[^\"]+)\"")]
    private static partial Regex FormToken();
}
