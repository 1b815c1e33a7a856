using System.Text.Json;

namespace Petitions.Tests;

/// <summary>
/// This project's package registry serves no vulnerability data, so a restore never warns and
/// <c>dotnet list package --vulnerable</c> cannot tell. This reads the versions every project actually resolved
/// (<c>obj/project.assets.json</c>: with central transitive pinning, a pin lower than a package asks for is applied
/// silently) against a short list of known advisories. Add to the list when a package here gets one.
/// </summary>
public sealed class AdvisoryTests
{
    /// <summary>Affected from (inclusive) to (exclusive), by package.</summary>
    private static readonly (string Package, string From, string Fixed, string Advisory)[] Known =
    [
        ("Microsoft.Data.SqlClient", "0.0.0", "5.1.3", "CVE-2024-0056"),
        ("System.Data.SqlClient", "0.0.0", "4.8.6", "CVE-2024-0056"),
        ("Newtonsoft.Json", "0.0.0", "13.0.1", "GHSA-5crp-9r3c-p9vr"),
        ("System.IO.Packaging", "0.0.0", "6.0.1", "CVE-2024-43483/43484"),
        ("System.IO.Packaging", "7.0.0", "8.0.1", "CVE-2024-43483/43484"),
        ("System.Text.Json", "0.0.0", "6.0.10", "CVE-2024-43485"),
        ("System.Text.Json", "7.0.0", "8.0.5", "CVE-2024-30105, CVE-2024-43485"),
        ("System.Text.RegularExpressions", "0.0.0", "4.3.1", "CVE-2019-0820"),
        ("System.Net.Http", "0.0.0", "4.3.4", "CVE-2018-8292"),
        ("Npgsql", "0.0.0", "4.1.13", "CVE-2024-32655"),
        ("Npgsql", "5.0.0", "5.0.18", "CVE-2024-32655"),
        ("Npgsql", "6.0.0", "6.0.11", "CVE-2024-32655"),
        ("Npgsql", "7.0.0", "7.0.7", "CVE-2024-32655"),
        ("Npgsql", "8.0.0", "8.0.3", "CVE-2024-32655"),
        ("Microsoft.Data.Sqlite.Core", "0.0.0", "6.0.0", "SQLite 3.35 and older (CVE-2022-35737 and others)"),
    ];

    [Fact]
    public void No_project_resolves_a_package_version_with_a_known_advisory()
    {
        var resolved = Resolved();
        Assert.NotEmpty(resolved);

        var affected = resolved
            .SelectMany(r => Known
                .Where(k => k.Package.Equals(r.Package, StringComparison.OrdinalIgnoreCase)
                            && r.Version >= Version.Parse(k.From) && r.Version < Version.Parse(k.Fixed))
                .Select(k => $"{r.Project}: {r.Package} {r.Version} ({k.Advisory}; fixed in {k.Fixed})"))
            .Distinct()
            .ToList();
        Assert.True(affected.Count == 0, string.Join('\n', affected));
    }

    [Fact]
    public void The_service_resolves_the_SQL_Server_driver_and_Json_NET_it_pins()
    {
        var service = Resolved().Where(r => r.Project == "Petitions.Api").ToList();

        Assert.Contains(("Petitions.Api", "Microsoft.Data.SqlClient", new Version(7, 1, 1)), service);
        Assert.Contains(service, r => r.Package == "Newtonsoft.Json" && r.Version.Major == 13);
        Assert.DoesNotContain(service, r => r.Package.StartsWith("Quartz", StringComparison.OrdinalIgnoreCase));
    }

    private static List<(string Project, string Package, Version Version)> Resolved()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Petitions.sln"))) root = root.Parent;
        Assert.True(root is not null, "the repository root (Petitions.sln) is above the test output");
        var resolved = new List<(string, string, Version)>();
        foreach (var assets in Directory.EnumerateFiles(root.FullName, "project.assets.json", SearchOption.AllDirectories))
        {
            var project = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(assets))!);
            using var json = JsonDocument.Parse(File.ReadAllText(assets));
            foreach (var library in json.RootElement.GetProperty("libraries").EnumerateObject())
            {
                var (name, version) = (library.Name[..library.Name.IndexOf('/')], library.Name[(library.Name.IndexOf('/') + 1)..]);
                if (library.Value.GetProperty("type").GetString() == "package" && Version.TryParse(version.Split('-')[0], out var parsed))
                    resolved.Add((project, name, parsed));
            }
        }
        return resolved;
    }
}
