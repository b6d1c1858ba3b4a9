using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TradingAspire.Tests.Support;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>The trace store's page behind its login form, for the page tests that run against a <see cref="TraceAnalyticsServer"/>.</summary>
internal static class AnalyticsPageLogin
{
    /// <summary>Opens the page without the login cookie (the login form), types the operator key and waits for the page's script.</summary>
    public static async Task LoginAsync(IPage page, string pageUrl)
    {
        var form = await page.GotoAsync(pageUrl);
        Assert.Equal(401, form?.Status);
        await page.Locator("#key").FillAsync(TraceAnalyticsServer.OperatorKey);
        await page.Locator("#login-button").ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-ready", "true");
    }

    /// <summary>Console errors and uncaught exceptions, except the 401 of the page itself before the login (the login form).</summary>
    public static IReadOnlyList<string> UnexpectedErrors(BrowserPage browser, string pageUrl) =>
        browser.Errors.Where(e => !Regex.IsMatch(e,
            $@"^console: Failed to load resource: the server responded with a status of 401 \(Unauthorized\) at {Regex.Escape(pageUrl)}(\?[^/]*)?:\d+:\d+$")).ToList();
}
