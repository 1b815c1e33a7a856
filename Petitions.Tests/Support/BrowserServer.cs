using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Playwright;
using Xunit.v3;

[assembly: AssemblyFixture(typeof(Petitions.Tests.Support.BrowserServer))]
[assembly: Petitions.Tests.Support.BrowserServer.CloseContextsAfterTest]

namespace Petitions.Tests.Support;

/// <summary>
/// Headless Chromium from Debian's package (<c>/usr/bin/chromium</c>, or <c>PETITIONS_CHROMIUM</c>), driven by
/// Playwright; the browser download Playwright would do is impossible here. Under <c>CI=true</c> a missing browser
/// fails the run; elsewhere the browser tests say they did not run. Screenshots go to TestResults/screenshots.
/// </summary>
public sealed class BrowserServer : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _missing;

    /// <summary>The contexts each running test opened (by the test's id), and the closing of those of tests that ended.</summary>
    private static readonly ConcurrentDictionary<string, ConcurrentBag<IBrowserContext>> Open = new();
    private static readonly ConcurrentBag<Task> Closing = [];

    public static string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async ValueTask InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable("PETITIONS_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            _missing = $"Browser tests did not run: no Chromium at {executable} (install Debian's 'chromium' package).";
            if (DatabaseServers.InCi) throw new InvalidOperationException(_missing + " CI must run them.");
            return;
        }
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            // Without these, Chromium keeps trying to reach Google's services, which this closed network refuses.
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(Screenshots);
    }

    /// <summary>The screens a journey may be seen on: a desktop (1280 px, or a wide one of 1600 px), a phone, a tablet
    /// upright and lying.</summary>
    public enum Screen { Desktop, WideDesktop, Phone, TabletPortrait, TabletLandscape }

    /// <summary>How long a step (a click, a navigation, a wait for an element) may go without the page making progress.
    /// Each step waits for the page; it is never a budget for the test.</summary>
    private const float NoProgress = 120_000;

    /// <summary>A fresh browser context (its own cookies), like a new person at a new computer.</summary>
    public Task<IBrowserContext> NewContextAsync(string baseUrl, string locale = "zh-CN", bool phone = false) =>
        NewContextAsync(baseUrl, phone ? Screen.Phone : Screen.Desktop, locale);

    /// <summary>A fresh browser context on the given screen.</summary>
    public async Task<IBrowserContext> NewContextAsync(string baseUrl, Screen screen, string locale = "zh-CN")
    {
        if (_missing is not null) Assert.Skip(_missing);
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            Locale = locale,
            ViewportSize = screen switch
            {
                Screen.Phone => new ViewportSize { Width = 390, Height = 844 },
                Screen.TabletPortrait => new ViewportSize { Width = 768, Height = 1024 },
                Screen.TabletLandscape => new ViewportSize { Width = 1024, Height = 768 },
                Screen.WideDesktop => new ViewportSize { Width = 1600, Height = 900 },
                _ => new ViewportSize { Width = 1280, Height = 900 },
            },
        });
        context.SetDefaultTimeout(NoProgress);
        context.SetDefaultNavigationTimeout(NoProgress);
        Open.GetOrAdd(TestContext.Current.Test?.UniqueID ?? "", _ => []).Add(context);
        return context;
    }

    /// <summary>
    /// Closes the browser contexts a test opened once it ends, whether or not the test disposed them. Left open, each
    /// kept a Chromium renderer for the rest of the run: 136 of them, 3.4 GB, by the end of the browser tests.
    /// </summary>
    [AttributeUsage(AttributeTargets.Assembly)]
    public sealed class CloseContextsAfterTestAttribute : BeforeAfterTestAttribute
    {
        // After is synchronous; the closing is awaited when the browser goes (DisposeAsync), not here, where blocking
        // on Playwright could wait for the thread it needs.
        public override void After(MethodInfo methodUnderTest, IXunitTest test)
        {
            if (Open.TryRemove(test.UniqueID, out var contexts)) Closing.Add(Task.WhenAll(contexts.Select(c => c.CloseAsync())));
        }
    }

    public static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, $"{name}.png"), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Closing);
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
