using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Petitions.Testing;
using Petitions.Workflows.Privacy;
using Petitions.Workflows.Storage;

namespace Petitions.Bench;

/// <summary>The real service, started as its own process on a loopback port, so its memory is its own.</summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _keysPath;

    private ServiceProcess(Process process, Uri address, string keysPath)
    {
        _process = process;
        Address = address;
        _keysPath = keysPath;
    }

    public Uri Address { get; }

    public int ProcessId => _process.Id;

    /// <summary>Starts the service and waits for its health check. <paramref name="settings"/> are configuration keys or runtime variables
    /// (<c>RateLimits:LookupsPerMinute</c>) passed as environment variables.</summary>
    public static async Task<ServiceProcess> StartAsync(
        StorageProvider provider, string connectionString, PersonalDataKeys keys, IReadOnlyDictionary<string, string>? settings = null)
    {
        var published = Path.Combine(AppContext.BaseDirectory, "service", "Petitions.Api.dll");
        if (!File.Exists(published))
            throw new InvalidOperationException($"{published} is missing: a Release build publishes it (dotnet run -c Release --project bench/Petitions.Bench).");
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(published);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Storage__Provider"] = provider.ToString();
        start.Environment["ConnectionStrings__Petitions"] = connectionString;
        start.Environment["PersonalData__KeyId"] = keys.KeyId;
        start.Environment["PersonalData__EncryptionKey"] = Convert.ToBase64String(keys.EncryptionKey);
        start.Environment["PersonalData__HashKey"] = Convert.ToBase64String(keys.HashKey);
        var keysPath = Directory.CreateTempSubdirectory("petitions-bench-keys-").FullName;
        start.Environment["DataProtection__KeysPath"] = keysPath;
        // A log line per request is not what is measured; warnings and errors still show.
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Metrics__AllowedNetworks__0"] = "127.0.0.1/32"; // the round trips it counts
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the service.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"  service: {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var service = new ServiceProcess(process, new Uri($"http://127.0.0.1:{port}"), keysPath);
        using var probe = new HttpClient { BaseAddress = service.Address };
        // Asked every 10 ms: the start is timed to within that.
        for (var attempt = 0; attempt < 3000; attempt++)
        {
            if (process.HasExited) throw new InvalidOperationException($"The service exited with {process.ExitCode}.");
            try
            {
                if ((await probe.GetAsync("/health")).IsSuccessStatusCode) return service;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(10);
        }
        throw new TimeoutException("The service did not become healthy in 30 s.");
    }

    /// <summary>A client with up to <paramref name="connections"/> keep-alive connections to the service.</summary>
    public HttpClient Client(int connections) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { BaseAddress = Address };

    /// <summary>A bearer token for a demo user.</summary>
    public static async Task<string> TokenAsync(HttpClient client, string userName)
    {
        var response = await client.PostAsJsonAsync("/api/auth/token", new { userName, password = BenchServices.Password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    /// <summary>POSTs a JSON body serialized beforehand; registrations carry an <c>Idempotency-Key</c>, as a desk's client sends them.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string token, byte[] json, bool idempotent = false)
    {
        var content = new ByteArrayContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotent) request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return await client.SendAsync(request);
    }

    /// <summary>CPU time the process has used so far (user + system).</summary>
    public TimeSpan CpuTime() => ProcessCpu.Of(ProcessId.ToString(CultureInfo.InvariantCulture));

    /// <summary>The most resident memory the process has held (VmHWM), in MiB.</summary>
    public double PeakMemoryMiB()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>The memory the process holds now (VmRSS), in MiB.</summary>
    public double ResidentMiB()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>Starts VmHWM again from what is resident now (Linux: "5" to clear_refs), to see the peak of one step.</summary>
    public void ResetPeakMemory() => File.WriteAllText($"/proc/{_process.Id}/clear_refs", "5");

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_keysPath, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
