using Microsoft.Playwright;

namespace Tessera.Server.Tests.Viewer;

/// <summary>
/// Debian's headless chromium (<c>apt-get install chromium</c>; scripts/test installs it), driven by Playwright. Playwright's
/// own browser download is never used: the executable is given explicitly.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>Chromium's command line for the tests: headless, no sandbox (containers), nothing fetched from the internet.</summary>
    public static readonly string[] Arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots are kept after the run, to look at.</summary>
    public static string ScreenshotFolder { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "tessera-screenshots")).FullName;

    public async ValueTask InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"Expected Debian's chromium at {Chromium} (apt-get install -y chromium; ./scripts/test installs it)");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Timeout = 60_000,
            Args = Arguments,
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
