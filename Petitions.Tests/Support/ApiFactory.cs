using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Petitions.Workflows.Privacy;

namespace Petitions.Tests.Support;

/// <summary>
/// The real service on a real Kestrel socket on loopback, over a test database, with a clock the test controls
/// and every log line captured.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    private readonly TestDatabase _database;
    private readonly string _environment;
    private readonly string _keysDirectory = Directory.CreateTempSubdirectory("petitions-keys-").FullName;
    private readonly PersonalDataKeys _keys = PersonalDataKeys.Generate();

    private readonly IReadOnlyDictionary<string, string> _settings;

    private readonly bool _systemClock;
    private readonly Action<IServiceCollection>? _services;
    private readonly PipelineCapture _pipeline = new();

    /// <param name="systemClock">Run on the real clock instead of <see cref="Clock"/> (the scheduler needs time that flows).</param>
    /// <param name="services">Replaces services of the host (a notification sender that fails, for one).</param>
    public ApiFactory(TestDatabase database, string environment = "Development", IReadOnlyDictionary<string, string>? settings = null, bool systemClock = false,
        Action<IServiceCollection>? services = null)
    {
        _services = services;
        _systemClock = systemClock;
        _database = database;
        _environment = environment;
        _settings = settings ?? new Dictionary<string, string>();
        UseKestrel(0);
    }

    public ManualClock Clock { get; } = new(ManualClock.Shanghai(2026, 11, 20));
    public CapturedLogs Logs { get; } = new();
    public TestDatabase Database => _database;

    /// <summary>The service's personal-data keys, for a <see cref="WorkflowHarness"/> that writes petitions it reads.</summary>
    public PersonalDataKeys Keys => _keys;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        builder.UseSetting("Storage:Provider", _database.Provider.ToString());
        builder.UseSetting("ConnectionStrings:Petitions", _database.ConnectionString);
        builder.UseSetting("PersonalData:KeyId", _keys.KeyId);
        builder.UseSetting("PersonalData:EncryptionKey", Convert.ToBase64String(_keys.EncryptionKey));
        builder.UseSetting("PersonalData:HashKey", Convert.ToBase64String(_keys.HashKey));
        builder.UseSetting("DataProtection:KeysPath", _keysDirectory);
        builder.UseSetting("Demo:Password", TestData.Password);
        builder.UseSetting("Jobs:Enabled", "false"); // tests sweep when they choose; the scheduler and dashboard tests run Hangfire
        builder.UseSetting("Demo:SeedPetitions", "false"); // tests start from the demo's users alone; one test seeds its petitions
        foreach (var (key, value) in TestDatabase.HostSettings.Concat(_settings)) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
        builder.ConfigureTestServices(services =>
        {
            if (!_systemClock) services.AddSingleton<TimeProvider>(Clock);
            services.Configure<PasswordHasherOptions>(o => o.IterationCount = TestData.PasswordIterations);
            // Kestrel answers 408 when a request's headers are not read within 30 s: a guard against slow clients that,
            // with two full test runs on two cores, a starved test process tripped itself (a GET of the scope matrix).
            // The clients here are our own; a request is read when the machine gets to it.
            services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.RequestHeadersTimeout = TimeSpan.FromHours(1));
            services.AddSingleton<IStartupFilter>(_pipeline);
            _services?.Invoke(services);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_pipeline.Built is { } pipeline) await EndpointLimiter(pipeline).DisposeAsync();
        Directory.Delete(_keysDirectory, recursive: true);
    }

    /// <summary>
    /// The endpoint limiter ASP.NET Core's rate limiting middleware makes for itself and never disposes
    /// (dotnet/aspnetcore#66434): its timer runs for the life of the process and holds the middleware, the pipeline
    /// behind it and the host's services. A test process starts hundreds of hosts, and every one stayed in memory
    /// (about 19 MB of managed heap each, most of it OpenTelemetry's metric buffers): the API tests alone ended at
    /// 8.7 GB resident. Found by walking the built pipeline: each middleware holds the next one as a delegate.
    /// </summary>
    private static IAsyncDisposable EndpointLimiter(RequestDelegate pipeline)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<object>([pipeline]);
        while (pending.TryPop(out var item))
        {
            if (!seen.Add(item)) continue;
            if (item is Delegate { Target: { } target })
            {
                pending.Push(target);
                continue;
            }
            var type = item.GetType();
            if (type.FullName == "Microsoft.AspNetCore.RateLimiting.RateLimitingMiddleware")
                return type.GetField("_endpointLimiter", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(item) as IAsyncDisposable
                    ?? throw new InvalidOperationException("RateLimitingMiddleware no longer keeps its limiter in '_endpointLimiter': if it disposes it itself now, drop ApiFactory.EndpointLimiter.");
            for (var declaring = type; declaring is not null; declaring = declaring.BaseType)
                foreach (var field in declaring.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    if (typeof(Delegate).IsAssignableFrom(field.FieldType) && field.GetValue(item) is { } next) pending.Push(next);
        }
        throw new InvalidOperationException("No RateLimitingMiddleware in the service's pipeline: if the service no longer limits rates, drop ApiFactory.EndpointLimiter.");
    }

    /// <summary>Keeps the request pipeline the host builds, for <see cref="EndpointLimiter"/>.</summary>
    private sealed class PipelineCapture : IStartupFilter
    {
        public RequestDelegate? Built { get; private set; }

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(rest => Built = rest);
            next(app);
        };
    }
}
