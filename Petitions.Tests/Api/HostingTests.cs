using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Api;

public sealed class HostingTests(DatabaseServers servers) : ApiTest(StorageProvider.Sqlite, servers)
{
    [Fact]
    public async Task Personal_data_never_reaches_the_logs()
    {
        var token = await TokenAsync("reception");
        var body = PetitionBody();
        body["representatives"] = new[] { new { name = "王五代表", idNumber = TestData.IdNumberFor(new DateOnly(1975, 3, 4), 7), phone = "13700001111" } };
        body["peopleCount"] = 3;
        var registered = await JsonAsync(await RegisterAsync(token, body));
        await RegisterAsync(token, PetitionBody().With("channel", "pigeon"));
        await Client.GetAsync($"/api/public/petitions/{registered.GetProperty("caseNumber").GetString()}?queryCode={registered.GetProperty("queryCode").GetString()}", Ct);

        var logs = string.Join("\n", Api.Logs.Entries);
        Assert.Contains("Registered petition XF-330799-2026-000001", logs, StringComparison.Ordinal);
        foreach (var personal in new[] { TestData.PetitionerName, TestData.IdNumber, "19491231", TestData.PetitionerPhone, TestData.PetitionerAddress, "王五代表", "13700001111", registered.GetProperty("queryCode").GetString()!, TestData.Password })
            Assert.DoesNotContain(personal, logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_endpoints()
    {
        var document = await Client.GetStringAsync("/openapi/v1.json", Ct);

        foreach (var path in new[] { "/api/auth/token", "/api/petitions", "/api/petitions/{caseNumber}", "/api/public/petitions/{caseNumber}" })
            Assert.Contains($"\"{path}\"", document, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_addresses_are_404_problems()
    {
        var response = await Client.GetAsync("/api/nothing-here", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

public sealed class EnvironmentTests(DatabaseServers servers)
{
    [Fact]
    public async Task Outside_Development_no_demo_account_exists()
    {
        await using var database = await servers.CreateAsync(StorageProvider.Sqlite);
        await using var api = new ApiFactory(database, environment: "Production", settings: new Dictionary<string, string> { ["Demo:SeedPetitions"] = "true" });
        using var client = api.CreateClient();

        var response = await client.PostAsJsonAsync("/api/auth/token", new { userName = "reception", password = TestData.Password }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await database.CountAsync("users"));
        Assert.Equal(0, await database.CountAsync("petitions"));
    }

    [Theory]
    [InlineData("Jobs__Workers", "0", "Jobs:Workers must be at least 1")]
    [InlineData("Jobs__PollInterval", "00:00:00", "Jobs:PollInterval must be longer than zero")]
    public Task A_job_setting_Hangfire_refuses_stops_the_start_naming_the_key(string key, string value, string message) =>
        // The job server itself starts only after the service listens, where its failure would go unseen.
        AssertStartRefusedAsync(new() { ["Jobs__Enabled"] = "true", [key] = value }, message);

    [Theory]
    [InlineData("RateLimits__SignInsPerMinute", "0", "RateLimits:SignInsPerMinute must be at least 1")]
    [InlineData("RateLimits__SubmissionsPerHour", "-1", "RateLimits:SubmissionsPerHour must be at least 1")]
    [InlineData("RateLimits__LookupsPerMinute", "0", "RateLimits:LookupsPerMinute must be at least 1")]
    [InlineData("RateLimits__FailedLookups", "0", "RateLimits:FailedLookups must be at least 1")]
    [InlineData("RateLimits__FailedLookupWindow", "00:00:00", "RateLimits:FailedLookupWindow must be longer than zero")]
    public Task A_rate_limit_below_one_stops_the_start_naming_the_key(string key, string value, string message) =>
        // It used to start, and a limiter refused its own setting at the first request it guarded: a 500 each time.
        AssertStartRefusedAsync(new() { [key] = value }, message);

    /// <summary>The service as its own process with <paramref name="settings"/> exits without listening and says
    /// <paramref name="message"/>. A real process: inside WebApplicationFactory the failed start races the factory's own
    /// port setting, which then reports a disposed host instead of the refusal.</summary>
    private static async Task AssertStartRefusedAsync(Dictionary<string, string> settings, string message)
    {
        var path = Path.Combine(Path.GetTempPath(), $"petitions-start-{Guid.NewGuid():N}.db");
        var start = ServiceProcess(path);
        start.Environment["Urls"] = "http://127.0.0.1:0";
        foreach (var (key, value) in settings) start.Environment[key] = value;
        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            // Read line by line so that a service that starts anyway fails the test when it says so, instead of running on.
            var output = new System.Text.StringBuilder();
            while (await process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
            {
                output.AppendLine(line);
                if (line.Contains("Now listening", StringComparison.Ordinal))
                {
                    process.Kill(entireProcessTree: true);
                    Assert.Fail($"The service started with {string.Join(", ", settings.Select(p => $"{p.Key}={p.Value}"))}:\n{output}");
                }
            }
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);

            Assert.NotEqual(0, process.ExitCode);
            Assert.Contains(message, output + await error, StringComparison.Ordinal);
        }
        finally
        {
            DeleteServiceFiles(path);
        }
    }

    /// <summary>The service as its own process in Production on a SQLite file, with keys of zeros; its data-protection keys beside the file.</summary>
    private static ProcessStartInfo ServiceProcess(string databasePath, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "Petitions.Api.dll") }.Concat(arguments)) start.ArgumentList.Add(argument);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Petitions"] = $"Data Source={databasePath}";
        start.Environment["PersonalData__EncryptionKey"] = Convert.ToBase64String(new byte[32]);
        start.Environment["PersonalData__HashKey"] = Convert.ToBase64String(new byte[32]);
        start.Environment["DataProtection__KeysPath"] = databasePath + ".keys";
        return start;
    }

    /// <summary>What <see cref="ServiceProcess"/> left: the SQLite file and the keys beside it.</summary>
    private static void DeleteServiceFiles(string databasePath)
    {
        SqliteConnection.ClearAllPools();
        File.Delete(databasePath);
        if (Directory.Exists(databasePath + ".keys")) Directory.Delete(databasePath + ".keys", recursive: true);
    }

    [Fact]
    public async Task The_migrate_command_migrates_and_exits_and_says_when_nothing_was_pending()
    {
        var path = Path.Combine(Path.GetTempPath(), $"petitions-migrate-{Guid.NewGuid():N}.db");
        var start = ServiceProcess(path, "migrate");
        async Task<string> MigrateAsync()
        {
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.True(process.ExitCode == 0, output + await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken));
            Assert.DoesNotContain("Now listening", output, StringComparison.Ordinal);
            return output;
        }
        try
        {
            var first = await MigrateAsync();
            var second = await MigrateAsync();

            Assert.Contains("Applied migration 1 foundation on sqlite", first, StringComparison.Ordinal);
            Assert.DoesNotContain("No migrations were pending", first, StringComparison.Ordinal);
            Assert.True(await new TestDatabase(StorageProvider.Sqlite, $"Data Source={path}").CountAsync("schema_migrations") > 0);
            Assert.DoesNotContain("Applied migration", second, StringComparison.Ordinal);
            Assert.Contains("No migrations were pending on sqlite: the database has every migration up to", second, StringComparison.Ordinal);
        }
        finally
        {
            DeleteServiceFiles(path);
        }
    }

    [Fact]
    public async Task Outside_Development_missing_personal_data_keys_stop_the_service()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "Petitions.Api.dll"), "migrate" }) start.ArgumentList.Add(argument);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Petitions"] = "Data Source=:memory:";

        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("PersonalData:EncryptionKey and PersonalData:HashKey must be configured", error, StringComparison.Ordinal);
    }
}
