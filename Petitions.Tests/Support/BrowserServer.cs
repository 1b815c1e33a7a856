using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(Petitions.Tests.Support.BrowserServer))]

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

    /// <summary>A fresh browser context (its own cookies), like a new person at a new computer.</summary>
    public async Task<IBrowserContext> NewContextAsync(string baseUrl, string locale = "zh-CN", bool phone = false)
    {
        if (_missing is not null) Assert.Skip(_missing);
        return await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            Locale = locale,
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 900 },
        });
    }

    public static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, $"{name}.png"), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
