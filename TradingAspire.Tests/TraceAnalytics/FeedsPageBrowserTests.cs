using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TradingAspire.Contracts;
using TradingAspire.Messaging;
using TradingAspire.Tests.Support;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>
/// The page's Venue feeds view in a real headless chromium, against the real trace store: feed-health reports published
/// to a real Redis <c>marketdata.health</c> stream (as the marketdata service writes them) and session spans ingested over
/// OTLP, like <see cref="FeedHealthEndpointTests"/>.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Browser)]
public sealed partial class FeedsPageBrowserTests(FeedHealthHost host) : IClassFixture<FeedHealthHost>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly LocatorAssertionsToHaveAttributeOptions Loaded = new() { Timeout = 20_000 };

    // Eight minutes ago: inside the page's default window (15 min), outside its shortest (5 min).
    private static readonly DateTime T0 = new(DateTime.UtcNow.AddMinutes(-8).Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    private const string Session1 = "0f1a00000000000000000000000000c1";
    private const string Session2 = "0f1a00000000000000000000000000c2";
    private const string KrakenSession = "0f2b00000000000000000000000000d1";

    private static readonly FeedHealthReport[] BinanceReports =
    [
        FeedHealthReports.At(T0, "binance", 0, FeedStates.Up, 5, 1000, 1.5, 4.0, 9.0, gaps: 2, gapMessages: 7, recovered: 2, outOfOrder: 1, trace: Session1),
        FeedHealthReports.At(T0, "binance", 1, FeedStates.Degraded, 5, 800, 2.0, 12.5, 30, gaps: 2, gapMessages: 5, crossed: 2, malformed: 3, stale: 2, trace: Session1),
        FeedHealthReports.At(T0, "binance", 2, FeedStates.Down, 1.5, 200, 1.0, 3.0, 3.5, disconnects: 1, trace: Session1, reason: "heartbeat timeout"),
        FeedHealthReports.At(T0, "binance", 3, FeedStates.Up, 4, 0, null, null, null, reconnects: 1, trace: Session2),
    ];

    private static readonly FeedHealthReport[] CoinbaseReports =
    [
        FeedHealthReports.At(T0, "coinbase", 0, FeedStates.Up, 5, 600, 0.8, 2.5, 4.0),
        FeedHealthReports.At(T0, "coinbase", 1, FeedStates.Degraded, 5, 400, 0.9, 6.0, 8.0, gaps: 1, gapMessages: 2, stale: 3),
    ];

    private static readonly FeedHealthReport KrakenReport = FeedHealthReports.At(T0, "kraken", 0, FeedStates.Down, 0, 0, null, null, null);

    private static IEnumerable<FeedHealthReport> AllReports => BinanceReports.Concat(CoinbaseReports).Append(KrakenReport);

    private string PageUrl => host.Server.BaseAddress.ToString();

    private Task SeedAsync() => host.SeedOnceAsync(async () =>
    {
        foreach (var report in AllReports)
        {
            await host.Publisher.PublishAsync(Streams.MarketDataHealth, report);
        }

        var export = FeedSessionExports.Request(
            FeedSessionExports.Session(Session1, "binance", "binance-1", T0.AddSeconds(-2), T0.AddSeconds(11.5), disconnectReason: "heartbeat timeout"),
            FeedSessionExports.Connect(Session1, "binance", "binance-1", T0.AddSeconds(-2)),
            FeedSessionExports.Connect(Session2, "binance", "binance-2", T0.AddSeconds(13.5)),
            FeedSessionExports.Session(KrakenSession, "kraken", "kraken-1", T0.AddSeconds(-30), T0.AddSeconds(-29), error: "login refused"),
            FeedSessionExports.Connect(KrakenSession, "kraken", "kraken-1", T0.AddSeconds(-30), error: "login refused"));
        Assert.Equal(HttpStatusCode.OK, (await host.Server.ExportAsync(export)).StatusCode);

        var expected = AllReports.Count();
        await Eventually.True(async () =>
        {
            var feeds = await host.Server.Client.GetFromJsonAsync<JsonElement>("/api/feeds?window=15m");
            return feeds.GetProperty("venues").EnumerateArray().Sum(v => v.GetProperty("reports").GetInt64()) == expected;
        }, Timeout, "every report to be consumed and stored");
    });

    [Fact]
    public async Task Feeds_view_shows_each_venues_state_and_counts_from_its_reports_and_charts_its_latency()
    {
        var opened = await OpenFeedsAsync();
        await using var chromium = opened.Chromium;
        var (browser, page, section) = (opened.Browser, opened.Browser.Page, opened.Section);
        var feeds = page.GetByTestId("feed");
        Assert.Equal(["binance", "coinbase", "kraken"], await feeds.EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.venue)"));

        // The state is the latest report's, coloured by it.
        await ExpectStateAsync(page, "binance", FeedStates.Up, "rgb(115, 209, 61)");
        await ExpectStateAsync(page, "coinbase", FeedStates.Degraded, "rgb(255, 197, 61)");
        await ExpectStateAsync(page, "kraken", FeedStates.Down, "rgb(255, 133, 133)");

        // The numbers are the reports' sums.
        var binance = Feed(page, "binance");
        await Expect(Field(binance, "uptime")).ToHaveTextAsync(Percent(BinanceReports));
        await Expect(Field(binance, "disconnects")).ToHaveTextAsync(Sum(BinanceReports, r => r.Disconnects));
        await Expect(Field(binance, "gaps")).ToHaveTextAsync(Sum(BinanceReports, r => r.Gaps));
        var gapRate = 1000.0 * BinanceReports.Sum(r => r.Gaps) / BinanceReports.Sum(r => r.Messages);
        await Expect(Field(binance, "gap-rate")).ToHaveTextAsync(gapRate.ToString(CultureInfo.InvariantCulture));
        var gaps = BinanceReports.Sum(r => r.Gaps);
        var recovered = BinanceReports.Sum(r => r.GapsRecovered);
        await Expect(Field(binance, "recovered")).ToHaveTextAsync($"{recovered} of {gaps}");
        await Expect(binance.Locator("[data-field=recovered] .detail")).ToHaveTextAsync($"{gaps - recovered} not recovered");
        await Expect(Field(binance, "malformed")).ToHaveTextAsync(Sum(BinanceReports, r => r.MalformedFrames));
        await Expect(Field(binance, "out-of-order")).ToHaveTextAsync(Sum(BinanceReports, r => r.OutOfOrder));
        await Expect(Field(binance, "crossed")).ToHaveTextAsync(Sum(BinanceReports, r => r.CrossedQuotes));
        await Expect(Field(binance, "messages")).ToHaveTextAsync(BinanceReports.Sum(r => r.Messages).ToString("N0", CultureInfo.InvariantCulture));
        await Expect(Field(binance, "latency")).ToHaveTextAsync("12.5 ms");
        await Expect(binance.Locator("[data-field=last-disconnect]")).ToContainTextAsync("heartbeat timeout");
        await Expect(Field(Feed(page, "coinbase"), "uptime")).ToHaveTextAsync(Percent(CoinbaseReports));
        await Expect(Feed(page, "coinbase").Locator("[data-field=stale]")).ToHaveTextAsync("3 stale symbols");
        await Expect(Field(Feed(page, "kraken"), "uptime")).ToHaveTextAsync("0.0 %");
        await Expect(Field(Feed(page, "kraken"), "gap-rate")).ToHaveTextAsync("—"); // no message, no rate

        // One chart, a p50 and a p99 line per venue, plotting each report interval's figures.
        await Expect(page.Locator("#feeds-chart canvas")).ToHaveCountAsync(1);
        var series = await page.EvaluateAsync<JsonElement>(
            "() => echarts.getInstanceByDom(document.getElementById('feeds-chart')).getOption().series.map(s => ({ name: s.name, values: s.data.map(d => d[1]), times: s.data.map(d => d[0]) }))");
        var lines = series.EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal(["binance p50", "binance p99", "coinbase p50", "coinbase p99", "kraken p50", "kraken p99"], lines.Keys);
        Assert.Equal(BinanceReports.Select(r => r.LatencyP50Ms), Values(lines["binance p50"]));
        Assert.Equal(BinanceReports.Select(r => r.LatencyP99Ms), Values(lines["binance p99"]));
        Assert.Equal(CoinbaseReports.Select(r => r.LatencyP99Ms), Values(lines["coinbase p99"]));
        Assert.Equal(BinanceReports.Select(r => r.IntervalStart.UtcDateTime),
            lines["binance p99"].GetProperty("times").EnumerateArray().Select(t => t.GetDateTime().ToUniversalTime()));
        Assert.Empty(UnexpectedErrors(browser));
    }

    [Fact]
    public async Task A_session_link_opens_the_sessions_trace_in_the_trace_view()
    {
        var opened = await OpenFeedsAsync();
        await using var chromium = opened.Chromium;
        var (browser, page, section) = (opened.Browser, opened.Browser.Page, opened.Section);

        // Newest first: the open session, then the one the heartbeat timeout ended; kraken's failed login in red.
        var sessions = Feed(page, "binance").GetByTestId("feed-session");
        Assert.Equal([Session2, Session1], await sessions.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.traceId)"));
        await Expect(sessions.First).ToContainTextAsync("open");
        await Expect(sessions.Nth(1)).ToContainTextAsync("heartbeat timeout");
        var failed = Feed(page, "kraken").GetByTestId("feed-session");
        await Expect(failed).ToHaveClassAsync("error");
        await Expect(failed).ToContainTextAsync("login refused");

        var link = sessions.Nth(1).Locator("a");
        await Expect(link).ToHaveAttributeAsync("href", "/?trace=" + Session1);
        await link.ClickAsync();

        var trace = page.Locator("#trace-section");
        await Expect(trace).ToHaveAttributeAsync("data-trace-id", Session1, Loaded);
        await Expect(trace).ToHaveAttributeAsync("data-state", "ready");
        await Expect(page.GetByTestId("waterfall-span")).ToHaveCountAsync(2); // the session and its connect span
        Assert.Contains($"trace={Session1}", page.Url);

        // The link itself (a new tab, a colleague) lands on the same trace.
        await page.GotoAsync(new Uri(host.Server.BaseAddress, "/?trace=" + Session2).ToString());
        await Expect(trace).ToHaveAttributeAsync("data-trace-id", Session2, Loaded);
        await Expect(page.GetByTestId("waterfall-span")).ToHaveCountAsync(1); // only its connect span is stored yet
        Assert.Empty(UnexpectedErrors(browser));
    }

    [Fact]
    public async Task A_window_without_reports_shows_what_to_do_and_the_window_with_them_shows_the_venues_again()
    {
        var opened = await OpenFeedsAsync();
        await using var chromium = opened.Chromium;
        var (browser, page, section) = (opened.Browser, opened.Browser.Page, opened.Section);

        await page.Locator("#window").SelectOptionAsync("5m");
        await Expect(section).ToHaveAttributeAsync("data-state", "empty", Loaded);
        var status = section.Locator(".section-status");
        await Expect(status).ToContainTextAsync("No feed-health reports in the last 5 minutes");
        await Expect(status).ToContainTextAsync("marketdata.health");
        await Expect(page.Locator("#feeds-chart")).ToBeHiddenAsync();

        await page.Locator("#window").SelectOptionAsync("15m");
        await Expect(section).ToHaveAttributeAsync("data-state", "ready", Loaded);
        await Expect(page.Locator("#feeds-chart")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("feed")).ToHaveCountAsync(3);
        Assert.Empty(UnexpectedErrors(browser));
    }

    [Fact]
    public async Task A_store_that_fails_shows_the_error_instead_of_stale_feeds_until_it_answers_again()
    {
        var opened = await OpenFeedsAsync();
        await using var chromium = opened.Chromium;
        var (browser, page, section) = (opened.Browser, opened.Browser.Page, opened.Section);

        await host.Server.BreakStoreAsync();
        try
        {
            await page.Locator("#window").SelectOptionAsync("1h");
            await Expect(section).ToHaveAttributeAsync("data-state", "error", Loaded);
            await Expect(section.Locator(".section-status")).ToHaveTextAsync(new Regex(".+"));
            await Expect(page.Locator("#feeds-list")).ToBeHiddenAsync();
            await Expect(page.Locator("#feeds-chart")).ToBeHiddenAsync();
        }
        finally
        {
            await host.Server.RepairStoreAsync();
        }

        // The next refresh (every 10 s) finds the store again.
        await Expect(section).ToHaveAttributeAsync("data-state", "ready", Loaded);
        await Expect(page.GetByTestId("feed")).ToHaveCountAsync(3);
    }

    private static ILocator Feed(IPage page, string venue) => page.Locator($"[data-testid=feed][data-venue={venue}]");

    private static ILocator Field(ILocator feed, string field) => feed.Locator($"[data-field={field}] .value");

    private static async Task ExpectStateAsync(IPage page, string venue, string state, string color)
    {
        var feed = Feed(page, venue);
        await Expect(feed).ToHaveAttributeAsync("data-state", state);
        var badge = feed.Locator("[data-field=state]");
        await Expect(badge).ToHaveTextAsync(state);
        await Expect(badge).ToHaveCSSAsync("color", color);
    }

    private static string Sum(IEnumerable<FeedHealthReport> reports, Func<FeedHealthReport, long> count) =>
        reports.Sum(count).ToString(CultureInfo.InvariantCulture);

    /// <summary>Connected seconds over covered seconds, as the page writes it ("77.5 %").</summary>
    private static string Percent(IReadOnlyCollection<FeedHealthReport> reports) =>
        (100 * reports.Sum(r => r.ConnectedSeconds) / reports.Sum(r => (r.IntervalEnd - r.IntervalStart).TotalSeconds))
        .ToString("0.0", CultureInfo.InvariantCulture) + " %";

    private static IEnumerable<double?> Values(JsonElement line) =>
        line.GetProperty("values").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? (double?)null : v.GetDouble());

    /// <summary>Seeds the store, opens the page in Chromium, logs in and waits until the Venue feeds section is ready.</summary>
    private async Task<(HeadlessChromium Chromium, BrowserPage Browser, ILocator Section)> OpenFeedsAsync()
    {
        await SeedAsync();
        var chromium = await HeadlessChromium.LaunchAsync();
        try
        {
            var browser = await chromium.NewPageAsync();
            await LoginAsync(browser.Page);
            var section = browser.Page.Locator("#feeds-section");
            await Expect(section).ToHaveAttributeAsync("data-state", "ready", Loaded);
            return (chromium, browser, section);
        }
        catch
        {
            await chromium.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens the page without the login cookie (the login form), types the operator key and waits for the page's script.</summary>
    private async Task LoginAsync(IPage page)
    {
        var form = await page.GotoAsync(PageUrl);
        Assert.Equal(401, form?.Status);
        await page.Locator("#key").FillAsync(TraceAnalyticsServer.OperatorKey);
        await page.Locator("#login-button").ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-ready", "true");
    }

    /// <summary>Console errors and uncaught exceptions, except the 401 of the page itself before the login (the login form).</summary>
    private IReadOnlyList<string> UnexpectedErrors(BrowserPage browser) =>
        browser.Errors.Where(e => !Regex.IsMatch(e,
            $@"^console: Failed to load resource: the server responded with a status of 401 \(Unauthorized\) at {Regex.Escape(PageUrl)}(\?[^/]*)?:\d+:\d+$")).ToList();
}
