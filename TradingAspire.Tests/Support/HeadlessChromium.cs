using Microsoft.Playwright;

namespace TradingAspire.Tests.Support;

/// <summary>
/// Debian's chromium (<c>apt-get install -y chromium</c>) driven by Playwright; Playwright's own browser
/// download is not used. Each page records its console errors and uncaught exceptions.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] Args =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright playwright;
    private readonly IBrowser browser;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        this.playwright = playwright;
        this.browser = browser;
    }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        Assert.True(File.Exists(ExecutablePath), $"{ExecutablePath} is missing: install it with apt-get install -y chromium");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ExecutablePath, Headless = true, Args = Args });
            return new HeadlessChromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A page in a fresh context, 1440 px wide like a desk engineer's screen.</summary>
    public async Task<BrowserPage> NewPageAsync()
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        var recorded = new BrowserPage(page);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                recorded.Record($"console: {message.Text} at {message.Location}");
            }
        };
        page.PageError += (_, error) => recorded.Record($"uncaught: {error}");
        return recorded;
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}

/// <summary>A page and the errors it reported.</summary>
public sealed class BrowserPage(IPage page)
{
    private readonly List<string> errors = [];

    public IPage Page { get; } = page;

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (errors)
            {
                return errors.ToArray();
            }
        }
    }

    internal void Record(string error)
    {
        lock (errors)
        {
            errors.Add(error);
        }
    }
}
