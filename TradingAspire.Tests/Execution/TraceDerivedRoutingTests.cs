using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradingAspire.Contracts;
using TradingAspire.Execution;
using TradingAspire.Tests.Support;
using TradingAspire.Tests.TraceAnalytics;

namespace TradingAspire.Tests.Execution;

/// <summary>
/// Routing priced from the trace store: the policy split, the measured price per venue, its fallbacks, and the refresher
/// reading the real trace store's latency-slippage answer (same service as in production, on loopback).
/// </summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class TraceDerivedRoutingTests(TradeAnalysisHost host) : IClassFixture<TradeAnalysisHost>
{
    private static IOptionsMonitor<RoutingOptions> Options(RoutingOptions options) => new FixedOptions<RoutingOptions>(options);

    [Fact]
    public void Under_ab_orders_split_evenly_and_each_order_keeps_its_arm()
    {
        var ids = Enumerable.Range(0, 10_000).Select(i => Guid.CreateVersion7().ToString()).ToList();

        var arms = ids.Select(id => RoutingPolicies.For(RoutingPolicies.AB, id)).ToList();

        Assert.InRange(arms.Count(a => a == RoutingPolicies.Trace), 4_800, 5_200);
        Assert.All(ids.Take(100), id => Assert.Equal(RoutingPolicies.For(RoutingPolicies.AB, id), RoutingPolicies.For(RoutingPolicies.AB, id)));
        Assert.Equal(RoutingPolicies.Static, RoutingPolicies.For(RoutingPolicies.Static, ids[0]));
        Assert.Equal(RoutingPolicies.Trace, RoutingPolicies.For(RoutingPolicies.Trace, ids[0]));
    }

    [Theory]
    [InlineData(99, 0.002, null)] // too few orders: the static price
    [InlineData(100, 0.002, 0.002)]
    [InlineData(500, -0.004, 0.0)] // latency measured to help is not rewarded
    [InlineData(500, double.NaN, null)]
    public void A_venue_is_priced_by_its_slope_once_it_has_enough_orders(long n, double slope, double? expected) =>
        Assert.Equal(expected, LatencyCostModel.Penalty(n, slope, minSamples: 100));

    [Fact]
    public void An_unmeasured_venue_gets_the_pooled_price_and_an_old_model_the_static_one()
    {
        var time = new ManualClock { Now = DateTimeOffset.UtcNow };
        var model = new LatencyCostModel(Options(new RoutingOptions { ModelMaxAge = TimeSpan.FromMinutes(5) }), time);
        Assert.Equal(0.03, model.PenaltyFor("binance", 0.03));

        model.Update(new LatencyCostSnapshot(time.GetUtcNow(), TimeSpan.FromMinutes(15), new Dictionary<string, VenueLatencyCost>
        {
            ["binance"] = new("binance", 300, 0.0004, 0.0001, 0.0007, 0.01, 40, 1.2, 0.0004),
            ["coinbase"] = new("coinbase", 100, -0.0002, -0.0005, 0.0001, 0.2, 70, 1.4, 0.0),
            ["kraken"] = new("kraken", 20, 0.01, null, null, null, 60, 1.5, null),
        }));

        Assert.Equal(0.0004, model.PenaltyFor("binance", 0.03));
        Assert.Equal(0.0, model.PenaltyFor("coinbase", 0.03));
        Assert.Equal(0.0003, model.PenaltyFor("kraken", 0.03), 12); // (300 · 0.0004 + 100 · 0) / 400
        Assert.Equal(0.0003, model.PenaltyFor("okx", 0.03), 12);
        time.Now += TimeSpan.FromMinutes(6);
        Assert.Equal(0.03, model.PenaltyFor("binance", 0.03));
        Assert.Equal(0.03, model.PenaltyFor("kraken", 0.03));
    }

    [Fact]
    public void The_measured_price_can_turn_the_route_to_the_better_touch()
    {
        var order = new NewOrder("o", "c", "BTC-USD", OrderSide.Buy, OrderType.Market, 1, null, DateTimeOffset.UtcNow);
        VenueInfo Venue(string name, decimal ask) => new(name, ["BTC-USD"], new Dictionary<string, VenueQuote> { ["BTC-USD"] = new(ask - 10, ask) });
        var venues = new[] { Venue("coinbase", 65_000m), Venue("binance", 65_003m) }; // binance 0.46 bp dearer, 35 ms faster
        double? Latency(string venue) => venue == "coinbase" ? 50 : 15;

        var staticRoute = VenueRouter.Rank(order, venues, Latency, new HashSet<string>(), _ => 0.03, 30);
        var traceRoute = VenueRouter.Rank(order, venues, Latency, new HashSet<string>(), venue => venue == "coinbase" ? 0.0008 : 0.0002, 30);

        Assert.Equal("binance", staticRoute[0].Venue);
        Assert.Equal("coinbase", traceRoute[0].Venue);
    }

    [Fact]
    public async Task The_refresher_reads_each_venues_slope_from_the_trace_store()
    {
        var settings = new RoutingOptions { OperatorKey = TraceAnalyticsServer.OperatorKey, ModelWindow = TimeSpan.FromHours(1), MinSamples = 5 };
        var model = new LatencyCostModel(Options(settings), TimeProvider.System);
        using var http = new HttpClient { BaseAddress = new Uri(host.PageUrl) };
        var refresher = new LatencyCostRefresher(http, model, Options(settings), TimeProvider.System, NullLogger<LatencyCostRefresher>.Instance);

        var snapshot = await refresher.FetchAsync(settings, CancellationToken.None);

        // The host's signals: slippage = 0.5 + 0.1 · venue ms, ten orders per venue, the rest of the latency fixed.
        Assert.Equal(["binance", "kraken"], snapshot.Venues.Keys.Order());
        Assert.All(snapshot.Venues.Values, v =>
        {
            Assert.Equal(10, v.N);
            Assert.Equal(0.1, v.SlopeBpsPerMs!.Value, 6);
            Assert.Equal(0.1, v.PenaltyBpsPerMs!.Value, 6);
        });
    }

    [Fact]
    public async Task A_wrong_operator_key_is_a_clear_failure()
    {
        var settings = new RoutingOptions { OperatorKey = "not-the-key" };
        var model = new LatencyCostModel(Options(settings), TimeProvider.System);
        using var http = new HttpClient { BaseAddress = new Uri(host.PageUrl) };
        var refresher = new LatencyCostRefresher(http, model, Options(settings), TimeProvider.System, NullLogger<LatencyCostRefresher>.Instance);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => refresher.FetchAsync(settings, CancellationToken.None));

        Assert.Contains("401", error.Message);
    }
}
