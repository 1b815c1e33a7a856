using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Petitions.Tests.Support;
using Petitions.Workflows.Storage;

namespace Petitions.Tests.Api;

public sealed partial class ApiDocumentationTests(DatabaseServers servers) : ApiTest(StorageProvider.Sqlite, servers)
{
    /// <summary>
    /// The live document passes Stoplight Spectral's <c>spectral:oas</c> ruleset with no error, warning, information
    /// or hint. Spectral is the version pinned in tools/spectral, installed there by <c>npm ci</c> when it is missing
    /// (as .ci/run does; like the PostgreSQL suite starting its own server, the test command needs nothing run first);
    /// without npm the test says it did not run, and under <c>CI=true</c> it fails.
    /// </summary>
    [Fact]
    public async Task The_OpenAPI_document_passes_the_Spectral_OAS_ruleset()
    {
        var tools = Path.Combine(RepositoryRoot(), "tools", "spectral");
        var spectral = Path.Combine(tools, "node_modules", ".bin", "spectral");
        if (!File.Exists(spectral)) await InstallSpectralAsync(tools);
        if (!File.Exists(spectral))
        {
            var missing = $"The OpenAPI lint did not run: no Spectral at {spectral} (run 'npm ci' in tools/spectral).";
            if (DatabaseServers.InCi) Assert.Fail(missing + " CI must run it.");
            Assert.Skip(missing);
        }
        var document = Path.Combine(Path.GetTempPath(), $"petitions-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(document, await Client.GetStringAsync("/openapi/v1.json", Ct), Ct);
        try
        {
            var start = new ProcessStartInfo(spectral) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = tools };
            foreach (var argument in new[] { "lint", document, "--ruleset", Path.Combine(tools, ".spectral.yaml"), "--fail-severity", "hint", "--format", "text" })
                start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(Ct);
            var error = process.StandardError.ReadToEndAsync(Ct);
            await process.WaitForExitAsync(Ct);

            Assert.True(process.ExitCode == 0, $"Spectral (exit {process.ExitCode}):\n{await output}\n{await error}");
        }
        finally
        {
            File.Delete(document);
        }
    }

    /// <summary>The pinned Spectral, from the lock file, without install scripts (the only one is a usage report).</summary>
    private static async Task InstallSpectralAsync(string tools)
    {
        var start = new ProcessStartInfo("npm") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = tools };
        foreach (var argument in new[] { "ci", "--ignore-scripts", "--no-audit", "--no-fund" }) start.ArgumentList.Add(argument);
        try
        {
            using var npm = Process.Start(start)!;
            var output = npm.StandardOutput.ReadToEndAsync(Ct);
            var error = npm.StandardError.ReadToEndAsync(Ct);
            await npm.WaitForExitAsync(Ct);
            TestContext.Current.SendDiagnosticMessage($"npm ci in tools/spectral (exit {npm.ExitCode}): {await output}{await error}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No npm on this machine: the caller reports that the lint did not run.
        }
    }

    [Fact]
    public async Task The_reference_page_is_open_to_anyone_and_runs_only_its_own_nonced_scripts()
    {
        var first = await Client.GetAsync("/api/reference/", Ct);
        var second = await Client.GetAsync("/api/reference/", Ct);
        var elsewhere = await Client.GetAsync("/login", Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var html = await first.Content.ReadAsStringAsync(Ct);
        var nonce = Nonce().Match(first.Headers.GetValues("Content-Security-Policy").Single()).Groups["nonce"].Value;
        Assert.NotEmpty(nonce);
        Assert.Equal(
            $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
            first.Headers.GetValues("Content-Security-Policy").Single());
        Assert.All(ScriptTag().Matches(html), tag => Assert.Contains($"nonce=\"{nonce}\"", tag.Value, StringComparison.Ordinal));
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal); // no CDN: fonts and scripts come from the service
        Assert.NotEqual(nonce, Nonce().Match(second.Headers.GetValues("Content-Security-Policy").Single()).Groups["nonce"].Value);
        Assert.DoesNotContain("nonce-", elsewhere.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/api/reference/scalar.js", Ct)).StatusCode);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Petitions.sln"))) return directory.FullName;
        throw new InvalidOperationException($"No Petitions.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex("'nonce-(?<nonce>[^']+)'")]
    private static partial Regex Nonce();

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTag();
}
