using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Petitions.Workflows.Privacy;

namespace Petitions.Tests.Support;

/// <summary>The real service as a process of its own (what a deployment runs), on a loopback port, in Production.</summary>
public sealed partial class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<string> _output = new();
    private bool _disposed;

    private ServiceProcess(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

    /// <summary>Where the service listens: a port the system chose, read from the service's own start-up line.</summary>
    public Uri BaseAddress => _listening.Task.IsCompletedSuccessfully ? _listening.Task.Result : throw new InvalidOperationException("The service is not listening yet.");

    /// <summary>Starts the service and waits until it listens (migrations run before that).</summary>
    public static async Task<ServiceProcess> StartAsync(TestDatabase database, PersonalDataKeys keys, string keysDirectory, IReadOnlyDictionary<string, string> settings)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Petitions.Api.dll"));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information"; // "Now listening on: …" names the port
        start.Environment["Storage__Provider"] = database.Provider.ToString();
        start.Environment["ConnectionStrings__Petitions"] = database.ConnectionString;
        start.Environment["PersonalData__KeyId"] = keys.KeyId;
        start.Environment["PersonalData__EncryptionKey"] = Convert.ToBase64String(keys.EncryptionKey);
        start.Environment["PersonalData__HashKey"] = Convert.ToBase64String(keys.HashKey);
        start.Environment["DataProtection__KeysPath"] = keysDirectory;
        foreach (var (key, value) in TestDatabase.HostSettings.Concat(settings)) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the service.");
        var service = new ServiceProcess(process);
        process.OutputDataReceived += (_, e) => service.Read(e.Data);
        process.ErrorDataReceived += (_, e) => service.Read(e.Data);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => service._listening.TrySetException(new InvalidOperationException($"The service exited before listening:\n{service.Output}"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // A starting service says nothing until it listens: its start is one step, as long as any wait may stall.
            await service._listening.Task.WaitAsync(Progress.Stall, TestContext.Current.CancellationToken);
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
        return service;
    }

    /// <summary>The last lines the service wrote, for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    private void Read(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        while (_output.Count > 100) _output.TryDequeue(out _);
        if (Listening().Match(line) is { Success: true } listening) _listening.TrySetResult(new Uri(listening.Groups["address"].Value));
    }

    /// <summary>A memory figure of the process in bytes, from <c>/proc/&lt;pid&gt;/status</c>: VmRSS (resident now) or VmHWM
    /// (the most it was resident).</summary>
    public long Memory(string field)
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>Starts VmHWM again from what is resident now (Linux: "5" to clear_refs).</summary>
    public void ResetPeakMemory() => File.WriteAllText($"/proc/{_process.Id}/clear_refs", "5");

    /// <summary>kill -9: no shutdown, no flushing, transactions in flight simply end.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>Once: a cluster whose restart failed disposes the instance that restart already disposed, and a second
    /// dispose would throw over the failure that matters.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (?<address>http://\S+)")]
    private static partial Regex Listening();
}
