using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TradingAspire.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace TradingAspire.Tests.Integration;

/// <summary>The trace-analytics page (served by the analytics service at <c>/</c>) in a real headless chromium.</summary>
[Trait(TestCategory.Name, TestCategory.Browser)]
[Collection(TradingAppCollection.Name)]
public sealed partial class TracePageBrowserTests(TradingAppFixture app)
{
    private const string Title = "TradingAspire · Trace analytics";

    private static readonly string[] SummarySections =
        ["percentiles-section", "bottlenecks-section", "anomalies-section", "alerts-section", "recommendations-section"];

    private static readonly string[] Stages =
    [
        "order.receive", "order.validate", "send orders.new",
        "process orders.new", "risk.check", "send orders.approved",
        "process orders.approved", "order.route", "order.execute", "venue.match", "send orders.filled",
        "process orders.filled", "order.confirm", "order.notify",
    ];

    private static readonly LocatorAssertionsToHaveAttributeOptions Loaded = new() { Timeout = 20_000 };

    private string PageUrl => app.TraceAnalytics.BaseAddress!.ToString();

    [Fact]
    public async Task Page_loads_every_section_without_console_errors_and_leaves_the_api_alone()
    {
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var browser = await chromium.NewPageAsync();
        var page = browser.Page;

        var response = await LoginAsync(page);

        Assert.True(response is { Ok: true }, $"GET / after the login answered {response?.Status}");
        Assert.StartsWith("text/html", response!.Headers["content-type"]);
        await Expect(page).ToHaveTitleAsync(Title);
        await Expect(page.Locator("#search")).ToBeVisibleAsync();
        await Expect(page.Locator("#window")).ToHaveValueAsync("15m");
        await Expect(page.Locator("#trace-section")).ToHaveAttributeAsync("data-state", "idle");
        foreach (var section in SummarySections)
        {
            await Expect(page.Locator($"#{section}")).ToBeVisibleAsync();
            await Expect(page.Locator($"#{section}")).ToHaveAttributeAsync("data-state", ReadyOrEmpty(), Loaded);
        }

        // ECharts drew into its containers (the vendored script loaded and ran).
        await Expect(page.Locator("#percentiles-chart canvas")).ToHaveCountAsync(1);
        await Expect(page.Locator("#bottlenecks-chart canvas")).ToHaveCountAsync(1);
        Assert.Empty(UnexpectedErrors(browser));

        // The page did not shadow the service's own endpoints.
        Assert.Equal(System.Net.HttpStatusCode.OK, (await app.TraceAnalytics.GetAsync("/health")).StatusCode);
        var openApi = await app.TraceAnalytics.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/api/traces/{traceId}", out _));
        var percentiles = await app.TraceAnalytics.GetFromJsonAsync<JsonElement>("/api/stages/percentiles?groupBy=stage&window=15m");
        Assert.Equal(JsonValueKind.Array, percentiles.GetProperty("groups").ValueKind);
        using var ingest = await app.TraceAnalytics.PostAsync("/v1/traces", new ByteArrayContent([]));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, ingest.StatusCode);
    }

    [Fact]
    public async Task Searching_an_order_shows_its_waterfall_with_every_stage_and_the_critical_path()
    {
        // A few orders first, so the summary sections have something to show beside the waterfall (and the
        // services are warm: the order on the page then takes as long as an order usually takes).
        const string client = "test-trace-page";
        var earlier = await Task.WhenAll(new[] { ("ETH-USD", "SELL", 0.2m), ("BTC-USD", "SELL", 0.02m), ("ETH-USD", "BUY", 0.1m), ("BTC-USD", "BUY", 0.03m) }
            .Select(o => app.PostOrderAsync(client, new { clientId = client, symbol = o.Item1, side = o.Item2, type = "MARKET", quantity = o.Item3 })));
        foreach (var order in earlier)
        {
            await app.WaitForFinalAsync(client, order.GetProperty("orderId").GetString()!);
        }

        var accepted = await app.PostOrderAsync(client, new { clientId = client, symbol = "BTC-USD", side = "BUY", type = "MARKET", quantity = 0.01m });
        var orderId = accepted.GetProperty("orderId").GetString()!;
        Assert.Equal("Filled", (await app.WaitForFinalAsync(client, orderId))!.Value.GetProperty("status").GetString());
        var trace = await app.WaitForTraceAsync(orderId, t => Stages.All(t.Has));

        await using var chromium = await HeadlessChromium.LaunchAsync();
        var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        await LoginAsync(page);
        await page.Locator("#search").FillAsync(orderId);
        await page.Locator("#search").PressAsync("Enter");

        var section = page.Locator("#trace-section");
        await Expect(section).ToHaveAttributeAsync("data-state", "ready", Loaded);
        await Expect(section).ToHaveAttributeAsync("data-trace-id", trace.TraceId);
        await Expect(page.Locator("#trace-id")).ToHaveTextAsync(trace.TraceId);
        await Expect(page.Locator("#trace-order-id")).ToHaveTextAsync(orderId);
        await Expect(page.Locator("#waterfall canvas")).ToHaveCountAsync(1);
        await Expect(page.Locator("#jaeger-download")).ToHaveAttributeAsync("href", $"api/traces/{trace.TraceId}/jaeger");
        Assert.Contains($"order={orderId}", page.Url);

        // The accessible span list is what the waterfall drew: every stage, and the critical path marked.
        var spans = page.GetByTestId("waterfall-span");
        var names = await spans.Locator("[data-col=name]").AllTextContentsAsync();
        Assert.True(names.Count >= trace.Spans.Count, $"the page lists {names.Count} spans, the store had {trace.Spans.Count}");
        foreach (var stage in Stages)
        {
            Assert.Contains(stage, names);
        }

        // The venue's matching is what an order waits for: on the path. (Which of the parallel consumers of
        // orders.filled ends last, and so whether every span is on the path, varies from run to run.)
        var critical = page.Locator("[data-testid=waterfall-span][data-critical=true]");
        var criticalIds = await critical.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.spanId)");
        Assert.InRange(criticalIds.Length, Stages.Length / 2, names.Count);
        Assert.Contains(trace.First("venue.match").SpanId, criticalIds);
        await Expect(page.Locator("#trace-largest-stage")).Not.ToHaveTextAsync("—");
        await Expect(page.Locator("#trace-errors")).ToHaveTextAsync("none");

        foreach (var id in SummarySections)
        {
            await Expect(page.Locator($"#{id}")).ToHaveAttributeAsync("data-state", ReadyOrEmpty(), Loaded);
        }

        await Expect(page.Locator("[data-testid=stage-row][data-stage='venue.match']")).ToHaveCountAsync(1);
        await SaveScreenshotAsync(page);

        // Opening the table shows the same rows to a reader.
        await page.Locator("#span-list summary").ClickAsync();
        await Expect(spans.First).ToBeVisibleAsync();

        // A link with ?trace= opens the same waterfall directly.
        await page.GotoAsync($"{PageUrl}?trace={trace.TraceId}");
        await Expect(section).ToHaveAttributeAsync("data-trace-id", trace.TraceId, Loaded);
        await Expect(page.Locator("#trace-order-id")).ToHaveTextAsync(orderId);
        Assert.Empty(UnexpectedErrors(browser));

        // A colleague opening that link for the first time logs in, and lands on the same waterfall.
        var colleague = await chromium.NewPageAsync();
        await LoginAsync(colleague.Page, $"?trace={trace.TraceId}");
        await Expect(colleague.Page.Locator("#trace-section")).ToHaveAttributeAsync("data-trace-id", trace.TraceId, Loaded);
        await Expect(colleague.Page.Locator("#trace-order-id")).ToHaveTextAsync(orderId);
        Assert.Empty(UnexpectedErrors(colleague));
    }

    /// <summary>
    /// Opens <paramref name="pathAndQuery"/> without the login cookie, which shows the login form; types the
    /// operator key and submits it; returns the answer of the page it then lands on.
    /// </summary>
    private async Task<IResponse> LoginAsync(IPage page, string pathAndQuery = "")
    {
        var form = await page.GotoAsync(PageUrl + pathAndQuery);
        Assert.Equal(401, form?.Status);
        await Expect(page.Locator("#login-form")).ToBeVisibleAsync();
        await Expect(page.Locator("#login-failed")).ToBeHiddenAsync();
        Assert.DoesNotContain(app.OperatorKey, await page.ContentAsync());

        await page.Locator("#key").FillAsync(app.OperatorKey);
        var landed = await page.RunAndWaitForResponseAsync(
            () => page.Locator("#login-button").ClickAsync(),
            response => response.Request.Method == "GET" && response.Url == PageUrl + pathAndQuery);
        await Expect(page.Locator("#search")).ToBeVisibleAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-ready", "true"); // the page's script has wired the search
        return landed;
    }

    private static Regex ReadyOrEmpty() => ReadyOrEmptyPattern();

    [GeneratedRegex("^(ready|empty)$")]
    private static partial Regex ReadyOrEmptyPattern();

    /// <summary>
    /// Console errors and uncaught exceptions, except the 404 of <c>/api/alerts</c> on a service without alerting
    /// (the page reads it as "no alerts") and the 401 of the page itself before the login (the login form).
    /// </summary>
    private IReadOnlyList<string> UnexpectedErrors(BrowserPage browser) =>
        browser.Errors.Where(e => !MissingAlertsApiPattern().IsMatch(e) && !IsLoginFormLoad(e)).ToList();

    private bool IsLoginFormLoad(string error) =>
        Regex.IsMatch(error, $@"^console: Failed to load resource: the server responded with a status of 401 \(Unauthorized\) at {Regex.Escape(PageUrl)}(\?[^/]*)?:\d+:\d+$");

    [GeneratedRegex(@"^console: Failed to load resource: the server responded with a status of 404 .* at https?://[^/]+/api/alerts\?")]
    private static partial Regex MissingAlertsApiPattern();

    /// <summary>docs/trace-page.png of the repository the tests were built from (skipped when it has no docs folder).</summary>
    private static async Task SaveScreenshotAsync(IPage page)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "TradingAspire.sln")))
        {
            directory = directory.Parent;
        }

        var docs = directory is null ? null : Path.Combine(directory.FullName, "docs");
        if (docs is not null && Directory.Exists(docs))
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(docs, "trace-page.png"), FullPage = true });
        }
    }
}
