using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using TradingAspire.Contracts;
using TradingAspire.Tests.Support;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>
/// The real service holding orders routed under both policies ten minutes ago (in the page's default 15-minute window, not in
/// its 5-minute one) and a few routed under static alone a minute ago (the 5-minute window: one policy only). Its own store, so
/// <see cref="TradeAnalysisHost"/>'s latency ↔ slippage figures keep their two venues and ten orders each.
/// </summary>
public sealed class RoutingPageHost : IAsyncLifetime
{
    /// <summary>One routed order: its policy, venue, venue latency, slippage, and whether it is a minute old (else ten minutes).</summary>
    public sealed record Routed(string Policy, string Venue, double VenueMatchMs, double SlippageBps, bool Recent);

    /// <summary>static sends most orders to binance; trace splits them between binance and the faster okx and slips ~0.3 bp less.</summary>
    public static readonly IReadOnlyList<Routed> Orders =
    [
        .. Enumerable.Range(0, 8).Select(i => new Routed("static", i < 6 ? "binance" : "kraken", i < 6 ? 15 : 25, 1.0 + 0.02 * i, false)),
        .. Enumerable.Range(0, 8).Select(i => new Routed("trace", i < 4 ? "binance" : "okx", i < 4 ? 15 : 8, 0.7 + 0.025 * i, false)),
        .. Enumerable.Range(0, 3).Select(i => new Routed("static", "binance", 15, 1.1 + 0.02 * i, true)),
    ];

    private TraceAnalyticsServer? server;

    public HttpClient Client => server!.Client;

    public string PageUrl => server!.BaseAddress.ToString();

    public async Task InitializeAsync()
    {
        server = await TraceAnalyticsServer.StartAsync();
        var now = DateTime.UtcNow;
        var spans = Orders.SelectMany((order, i) => StrategyTraces.RoutedOrder(
            300 + i, now.AddMinutes(order.Recent ? -1 : -10).AddSeconds(i), order.Venue, order.VenueMatchMs, order.SlippageBps, order.Policy));
        await server.Store.AppendAsync(spans.ToList());
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}

/// <summary>The page's Routing policies view in a real headless chromium, against <see cref="RoutingPageHost"/>.</summary>
[Trait(TestCategory.Name, TestCategory.Browser)]
public sealed class RoutingPageBrowserTests(RoutingPageHost host) : IClassFixture<RoutingPageHost>
{
    private static readonly LocatorAssertionsToHaveAttributeOptions Loaded = new() { Timeout = 20_000 };

    [Fact]
    public async Task Routing_view_tabulates_both_policies_and_states_trace_minus_static_with_its_interval()
    {
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        await AnalyticsPageLogin.LoginAsync(page, host.PageUrl);

        var section = page.Locator("#routing-section");
        await Expect(section).ToHaveAttributeAsync("data-state", "ready", Loaded);
        var rows = page.GetByTestId("routing-policy");
        Assert.Equal(["static", "trace"], await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.policy)"));
        var api = await host.Client.GetFromJsonAsync<JsonElement>("/api/analysis/routing?window=15m");
        foreach (var policy in new[] { "static", "trace" })
        {
            var orders = RoutingPageHost.Orders.Where(o => o.Policy == policy).ToList();
            var arm = api.GetProperty("policies").EnumerateArray().Single(p => p.GetProperty("policy").GetString() == policy);
            var row = page.Locator($"[data-testid=routing-policy][data-policy={policy}]");
            await Expect(row.Locator("[data-field=n]")).ToHaveTextAsync(orders.Count.ToString(CultureInfo.InvariantCulture));
            await Expect(row.Locator("[data-field=mean]")).ToHaveTextAsync(
                $"{Fixed(orders.Average(o => o.SlippageBps))} bp [{Fixed(arm.GetProperty("slippageLow").GetDouble())}, {Fixed(arm.GetProperty("slippageHigh").GetDouble())}]");
        }

        // trace − static = 0.7875 − 1.0836 bp; its orders go to the faster okx half the time, so they also fill sooner.
        var difference = RoutingPageHost.Orders.Where(o => o.Policy == "trace").Average(o => o.SlippageBps)
                         - RoutingPageHost.Orders.Where(o => o.Policy == "static").Average(o => o.SlippageBps);
        var verdict = page.Locator("#routing-verdict");
        await Expect(verdict).ToContainTextAsync($"trace − static: −{Fixed(-difference)} bp [−");
        await Expect(verdict).ToContainTextAsync(", p ");
        await Expect(verdict).ToContainTextAsync("· latency −");
        await Expect(verdict).ToContainTextAsync("trace slips less (95 %)");

        // Where each policy sent its orders: one stacked bar per policy, a series per venue, shares summing to 1.
        var shares = await page.EvaluateAsync<JsonElement>("""
            () => {
              const option = echarts.getInstanceByDom(document.getElementById('routing-shares-chart')).getOption();
              return { policies: option.yAxis[0].data, series: option.series.map(s => ({ name: s.name, stack: s.stack, data: s.data })) };
            }
            """);
        Assert.Equal(["static", "trace"], shares.GetProperty("policies").EnumerateArray().Select(p => p.GetString()));
        var series = shares.GetProperty("series").EnumerateArray().ToDictionary(
            s => s.GetProperty("name").GetString()!, s => s.GetProperty("data").EnumerateArray().Select(d => d.GetDouble()).ToArray());
        Assert.Equal(["binance", "kraken", "okx"], series.Keys);
        Assert.Equal(9 / 11.0, series["binance"][0], 9);
        Assert.Equal(0.5, series["binance"][1], 9);
        Assert.Equal(0.0, series["okx"][0]);
        Assert.Equal(0.5, series["okx"][1], 9);
        Assert.All(new[] { 0, 1 }, policy => Assert.Equal(1, series.Values.Sum(data => data[policy]), 9));

        // Mean slippage per policy as bars, each with its 95 % interval as an error bar (a custom series: [index, low, high]).
        var slippage = await page.EvaluateAsync<JsonElement>("""
            () => echarts.getInstanceByDom(document.getElementById('routing-slippage-chart'))
                    .getOption().series.map(s => ({ type: s.type, data: s.data.map(d => d.value ?? d) }))
            """);
        Assert.Equal("bar", slippage[0].GetProperty("type").GetString());
        Assert.Equal("custom", slippage[1].GetProperty("type").GetString());
        var arms = api.GetProperty("policies").EnumerateArray().ToArray();
        Assert.Equal(arms.Select(a => a.GetProperty("meanSlippageBps").GetDouble()),
            slippage[0].GetProperty("data").EnumerateArray().Select(d => d.GetDouble()));
        Assert.Equal(arms.Select((a, i) => new[] { i, a.GetProperty("slippageLow").GetDouble(), a.GetProperty("slippageHigh").GetDouble() }),
            slippage[1].GetProperty("data").EnumerateArray().Select(d => d.EnumerateArray().Select(v => v.GetDouble()).ToArray()));
        Assert.Empty(AnalyticsPageLogin.UnexpectedErrors(browser, host.PageUrl));
    }

    [Fact]
    public async Task A_window_with_one_policy_names_it_and_says_how_to_run_an_ab_comparison()
    {
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        await AnalyticsPageLogin.LoginAsync(page, host.PageUrl);
        var section = page.Locator("#routing-section");
        await Expect(section).ToHaveAttributeAsync("data-state", "ready", Loaded);
        await Expect(page.GetByTestId("routing-policy")).ToHaveCountAsync(2);

        await page.Locator("#window").SelectOptionAsync("5m");

        await Expect(page.GetByTestId("routing-policy")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await Expect(section).ToHaveAttributeAsync("data-state", "ready");
        var recent = RoutingPageHost.Orders.Where(o => o.Recent).ToList();
        var row = page.Locator("[data-testid=routing-policy][data-policy=static]");
        await Expect(row.Locator("[data-field=n]")).ToHaveTextAsync(recent.Count.ToString(CultureInfo.InvariantCulture));
        await Expect(row.Locator("[data-field=mean]")).ToContainTextAsync($"{Fixed(recent.Average(o => o.SlippageBps))} bp [");
        await Expect(row.Locator("[data-field=venues]")).ToHaveTextAsync("binance 100 %");
        var verdict = page.Locator("#routing-verdict");
        await Expect(verdict).ToContainTextAsync("Only the static policy routed orders in the last 5 minutes");
        await Expect(verdict).ToContainTextAsync("--Execution:Routing:Policy=ab");
        await Expect(verdict).Not.ToContainTextAsync("trace − static");
        Assert.Empty(AnalyticsPageLogin.UnexpectedErrors(browser, host.PageUrl));
    }

    private static string Fixed(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
}
