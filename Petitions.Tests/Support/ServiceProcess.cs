using System.Diagnostics;
using Petitions.Workflows.Privacy;

namespace Petitions.Tests.Support;

/// <summary>The real service as a process of its own (what a deployment runs), on a loopback port, in Production.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServiceProcess(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

    public static ServiceProcess Start(TestDatabase database, PersonalDataKeys keys, string keysDirectory, IReadOnlyDictionary<string, string> settings)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Petitions.Api.dll"));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Storage__Provider"] = database.Provider.ToString();
        start.Environment["ConnectionStrings__Petitions"] = database.ConnectionString;
        start.Environment["PersonalData__KeyId"] = keys.KeyId;
        start.Environment["PersonalData__EncryptionKey"] = Convert.ToBase64String(keys.EncryptionKey);
        start.Environment["PersonalData__HashKey"] = Convert.ToBase64String(keys.HashKey);
        start.Environment["DataProtection__KeysPath"] = keysDirectory;
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the service.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServiceProcess(process);
    }

    /// <summary>kill -9: no shutdown, no flushing, transactions in flight simply end.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
