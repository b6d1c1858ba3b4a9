using TradingAspire.Contracts;
using TradingAspire.Execution;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Execution;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class VenueRouterTests
{
    private static VenueInfo Venue(string name, decimal bid, decimal ask, string symbol = "BTC-USD") =>
        new(name, [symbol], new Dictionary<string, VenueQuote> { [symbol] = new(bid, ask) });

    private static NewOrder Order(OrderSide side, OrderType type = OrderType.Market, decimal? limit = null, string symbol = "BTC-USD") =>
        new("o", "c", symbol, side, type, 1, limit, DateTimeOffset.UtcNow);

    private static IReadOnlyList<RouteCandidate> Rank(NewOrder order, IReadOnlyList<VenueInfo> venues, Dictionary<string, double>? latency = null,
        ISet<string>? exclude = null, double penalty = 0.03) =>
        VenueRouter.Rank(order, venues, v => latency is not null && latency.TryGetValue(v, out var ms) ? ms : null,
            exclude ?? new HashSet<string>(), penalty, unknownLatencyMs: 30);

    [Fact]
    public void Buy_goes_to_the_lowest_ask_and_sell_to_the_highest_bid_at_equal_latency()
    {
        var venues = new[] { Venue("a", 99.9m, 100.1m), Venue("b", 100.0m, 100.2m) };
        Assert.Equal("a", Rank(Order(OrderSide.Buy), venues)[0].Venue);
        Assert.Equal("b", Rank(Order(OrderSide.Sell), venues)[0].Venue);
    }

    [Fact]
    public void A_slow_venue_loses_to_a_slightly_worse_price_when_latency_costs_more()
    {
        var venues = new[] { Venue("cheap-slow", 64990m, 65000m), Venue("fast", 64995m, 65001m) }; // fast is 0.15 bps worse
        var latency = new Dictionary<string, double> { ["cheap-slow"] = 200, ["fast"] = 10 };
        Assert.Equal("fast", Rank(Order(OrderSide.Buy), venues, latency)[0].Venue);
        Assert.Equal("cheap-slow", Rank(Order(OrderSide.Buy), venues, latency, penalty: 0)[0].Venue);
    }

    [Fact]
    public void Venues_that_do_not_list_the_symbol_or_were_tried_are_left_out()
    {
        var venues = new[] { Venue("a", 1, 2), Venue("b", 1, 2, "ETH-USD"), Venue("c", 1, 2) };
        var ranked = Rank(Order(OrderSide.Buy), venues, exclude: new HashSet<string> { "a" });
        Assert.Equal(["c"], ranked.Select(c => c.Venue));
    }

    [Fact]
    public void A_limit_that_does_not_cross_a_venue_skips_that_venue()
    {
        var venues = new[] { Venue("a", 99m, 101m), Venue("b", 98m, 99.5m) };
        Assert.Equal(["b"], Rank(Order(OrderSide.Buy, OrderType.Limit, 100m), venues).Select(c => c.Venue));
        Assert.Empty(Rank(Order(OrderSide.Sell, OrderType.Limit, 100m), venues));
    }

    [Fact]
    public void Price_cost_is_measured_in_basis_points_from_the_best_touch()
    {
        var venues = new[] { Venue("a", 0, 100m), Venue("b", 0, 100.1m) };
        var ranked = Rank(Order(OrderSide.Buy), venues, penalty: 0);
        Assert.Equal(0, ranked[0].PriceCostBps);
        Assert.Equal(10, ranked[1].PriceCostBps, 3);
    }

    [Theory]
    [InlineData(OrderSide.Buy, 100, 100.5, 50)]
    [InlineData(OrderSide.Sell, 100, 100.5, -50)]
    [InlineData(OrderSide.Sell, 100, 99, 100)]
    public void Slippage_is_signed_worse_is_positive(OrderSide side, double reference, double average, double expectedBps) =>
        Assert.Equal(expectedBps, Slippage.Bps(side, (decimal)reference, (decimal)average), 6);
}
