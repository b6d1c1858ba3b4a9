using System.Text.Json;
using Microsoft.Playwright;
using TradingAspire.Tests.Support;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>
/// The page's Latency ↔ slippage and Arbitrage views in a real headless chromium, against the real trace store holding
/// the signals and arbitrages of <see cref="TradeAnalysisHost"/> (ten minutes ago: in the default window, not in the 5-minute one).
/// </summary>
[Trait(TestCategory.Name, TestCategory.Browser)]
public sealed class TradeAnalysisPageBrowserTests(TradeAnalysisHost host) : IClassFixture<TradeAnalysisHost>
{
    private static readonly LocatorAssertionsToHaveAttributeOptions Loaded = new() { Timeout = 20_000 };

    [Fact]
    public async Task Latency_slippage_view_charts_each_venue_with_its_regression_line_and_tabulates_the_fit()
    {
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        await LoginAsync(page);

        var section = page.Locator("#latency-slippage-section");
        await Expect(section).ToHaveAttributeAsync("data-state", "ready", Loaded);
        var rows = page.GetByTestId("slippage-venue");
        Assert.Equal(["binance", "kraken"], await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.venue)"));
        var binance = page.Locator("[data-testid=slippage-venue][data-venue=binance]");
        await Expect(binance.Locator("[data-field=n]")).ToHaveTextAsync("10");
        await Expect(binance.Locator("[data-field=r]")).ToHaveTextAsync("1");
        await Expect(binance.Locator("[data-field=slope]")).ToContainTextAsync("0.1 bp/ms [");

        // One scatter per venue: its ten orders, and the OLS line across them (slippage = 0.5 + 0.1·venue ms, the rest of the latency fixed).
        await Expect(page.GetByTestId("slippage-chart")).ToHaveCountAsync(2);
        await Expect(page.Locator("[data-testid=slippage-chart][data-venue=binance] canvas")).ToHaveCountAsync(1);
        var series = await page.EvaluateAsync<JsonElement>("""
            () => echarts.getInstanceByDom(document.querySelector('[data-testid=slippage-chart][data-venue=binance]'))
                    .getOption().series.map(s => ({ type: s.type, data: s.data }))
            """);
        var scatter = series[0];
        var line = series[1];
        Assert.Equal("scatter", scatter.GetProperty("type").GetString());
        Assert.Equal(10, scatter.GetProperty("data").GetArrayLength());
        Assert.Equal("line", line.GetProperty("type").GetString());
        var points = scatter.GetProperty("data").EnumerateArray().Select(p => (X: p[0].GetDouble(), Y: p[1].GetDouble())).ToList();
        var ends = line.GetProperty("data").EnumerateArray().Select(p => (X: p[0].GetDouble(), Y: p[1].GetDouble())).ToList();
        Assert.Equal([points.Min(p => p.X), points.Max(p => p.X)], ends.Select(e => e.X));
        Assert.Equal(points.MinBy(p => p.X).Y, ends[0].Y, 6);
        Assert.Equal(points.MaxBy(p => p.X).Y, ends[1].Y, 6);
        Assert.Empty(UnexpectedErrors(browser));
    }

    [Fact]
    public async Task Arbitrage_view_shows_success_by_latency_bucket_and_ranks_the_stages()
    {
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        await LoginAsync(page);

        var section = page.Locator("#arbitrage-section");
        await Expect(section).ToHaveAttributeAsync("data-state", "ready", Loaded);
        await Expect(page.Locator("#arbitrage-meta")).ToContainTextAsync("6 opportunities");
        await Expect(page.Locator("#arbitrage-meta")).ToContainTextAsync("success 66.7 %");
        var bars = await page.EvaluateAsync<JsonElement>(
            "() => echarts.getInstanceByDom(document.getElementById('arbitrage-chart')).getOption().series[0].data");
        Assert.All(bars.EnumerateArray(), b => Assert.InRange(b.GetDouble(), 0, 1));
        Assert.NotEmpty(bars.EnumerateArray());

        var stages = page.GetByTestId("arbitrage-stage");
        var match = page.Locator("[data-testid=arbitrage-stage][data-stage='venue.match']");
        await Expect(match.Locator("[data-field=r]")).ToHaveTextAsync("1");
        var risk = await stages.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.stage)");
        Assert.True(Array.IndexOf(risk, "venue.match") < Array.IndexOf(risk, "risk.check"), string.Join(", ", risk));
        Assert.Empty(UnexpectedErrors(browser));
    }

    [Fact]
    public async Task A_window_without_strategy_or_routed_traces_says_which_service_produces_them()
    {
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        await LoginAsync(page);
        var slippage = page.Locator("#latency-slippage-section");
        var arbitrage = page.Locator("#arbitrage-section");
        var routing = page.Locator("#routing-section");
        await Expect(slippage).ToHaveAttributeAsync("data-state", "ready", Loaded);
        // The routed orders are two hours old: no window of the page reaches them.
        await Expect(routing).ToHaveAttributeAsync("data-state", "empty", Loaded);

        await page.Locator("#window").SelectOptionAsync("5m");

        await Expect(slippage).ToHaveAttributeAsync("data-state", "empty", Loaded);
        await Expect(arbitrage).ToHaveAttributeAsync("data-state", "empty", Loaded);
        await Expect(slippage.Locator(".section-status")).ToContainTextAsync("strategy service");
        await Expect(arbitrage.Locator(".section-status")).ToContainTextAsync("No arbitrage in the last 5 minutes");
        await Expect(arbitrage.Locator(".section-status")).ToContainTextAsync("strategy service");
        await Expect(page.Locator("#slippage-charts")).ToBeHiddenAsync();
        await Expect(page.Locator("#arbitrage-chart")).ToBeHiddenAsync();
        await Expect(routing).ToHaveAttributeAsync("data-state", "empty", Loaded);
        await Expect(routing.Locator(".section-status")).ToContainTextAsync("No filled order with a routing policy in the last 5 minutes");
        await Expect(routing.Locator(".section-status")).ToContainTextAsync("trading.route.policy");
        await Expect(routing.Locator(".section-status")).ToContainTextAsync("--Execution:Routing:Policy=ab");
        await Expect(page.Locator("#routing-verdict")).ToBeHiddenAsync();
        await Expect(page.Locator("#routing-shares-chart")).ToBeHiddenAsync();
        await Expect(page.Locator("#routing-table")).ToBeHiddenAsync();
        Assert.Empty(UnexpectedErrors(browser));
    }

    private Task LoginAsync(IPage page) => AnalyticsPageLogin.LoginAsync(page, host.PageUrl);

    private IReadOnlyList<string> UnexpectedErrors(BrowserPage browser) => AnalyticsPageLogin.UnexpectedErrors(browser, host.PageUrl);
}
