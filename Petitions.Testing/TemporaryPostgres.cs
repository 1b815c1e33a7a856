using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Petitions.Testing;

/// <summary>
/// A PostgreSQL cluster of its own in a temporary directory, on a free loopback port, stopped and deleted on
/// dispose. Uses Debian's server binaries (package <c>postgresql</c>); as root it runs them as user
/// <c>postgres</c>, since the server refuses to run as root.
/// </summary>
public sealed class TemporaryPostgres : IAsyncDisposable
{
    private readonly string _directory;
    private readonly string _binaries;

    private TemporaryPostgres(string directory, string binaries, int port)
    {
        _directory = directory;
        _binaries = binaries;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The server's binaries: <c>PETITIONS_PG_BIN</c> when set, else the newest under /usr/lib/postgresql;
    /// null when that folder lacks them.</summary>
    public static string? FindBinaries()
    {
        static bool HasServer(string bin) => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl"));

        if (Environment.GetEnvironmentVariable("PETITIONS_PG_BIN") is { Length: > 0 } configured) return HasServer(configured) ? configured : null;
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root)) return null;
        return Directory.GetDirectories(root)
            .Select(d => Path.Combine(d, "bin"))
            .Where(HasServer)
            .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var v) ? v : 0)
            .FirstOrDefault();
    }

    /// <summary>
    /// Starts a cluster. <paramref name="durable"/> keeps PostgreSQL's default fsync and synchronous commit, as a
    /// benchmark needs; without it the cluster trades durability for speed, which tests may.
    /// <paramref name="countStatements"/> loads <c>pg_stat_statements</c> (Debian's server package has it) for
    /// <see cref="StatementsAsync"/>.
    /// </summary>
    public static async Task<TemporaryPostgres> StartAsync(string binaries, bool durable, int maxConnections = 300, bool countStatements = false)
    {
        var directory = Directory.CreateTempSubdirectory("petitions-pg-").FullName;
        var port = FreePort();
        var server = new TemporaryPostgres(directory, binaries, port);
        var asRoot = Environment.UserName == "root";
        if (asRoot) await RunAsync("chown", ["postgres:postgres", directory], asPostgres: false);

        var data = Path.Combine(directory, "data");
        await server.RunToolAsync("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        var settings = $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c max_connections={maxConnections}"
            + (durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off")
            // Room for every statement text a benchmark sends (each length of a multi-row VALUES list is one), so that
            // none is evicted and its count lost.
            + (countStatements ? " -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.max=20000" : "");
        await server.RunToolAsync("pg_ctl", ["-D", data, "-l", Path.Combine(directory, "server.log"), "-o", settings, "-w", "-t", "60", "start"]);
        return server;
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, MaxPoolSize = 50 }.ConnectionString;

    /// <summary>The statements clients have had the server run so far, in every database (not the foreign-key checks
    /// and other statements the server runs inside them); a cluster started with <c>countStatements</c> only.</summary>
    public async Task<long> StatementsAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
            SELECT (SELECT COALESCE(SUM(calls), 0)::bigint FROM pg_stat_statements)
                   + CASE WHEN (SELECT dealloc FROM pg_stat_statements_info) = 0 THEN 0 ELSE NULL END
            """, connection);
        return await command.ExecuteScalarAsync() is long count
            ? count
            : throw new InvalidOperationException("pg_stat_statements evicted statements: their counts are lost (raise pg_stat_statements.max).");
    }

    /// <summary>The CPU time the server has used so far: its postmaster, backends and workers (Linux).</summary>
    public TimeSpan CpuTime() =>
        ProcessCpu.OfTree(int.Parse(File.ReadLines(Path.Combine(_directory, "data", "postmaster.pid")).First(), CultureInfo.InvariantCulture));

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunToolAsync("pg_ctl", ["-D", Path.Combine(_directory, "data"), "-m", "immediate", "-w", "stop"]);
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private Task RunToolAsync(string tool, IReadOnlyList<string> arguments) =>
        RunAsync(Path.Combine(_binaries, tool), arguments, asPostgres: Environment.UserName == "root");

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", program }) start.ArgumentList.Add(a);
        }
        foreach (var a in arguments) start.ArgumentList.Add(a);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed ({process.ExitCode}): {await error}{await output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
