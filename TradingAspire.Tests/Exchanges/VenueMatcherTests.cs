using TradingAspire.Contracts;
using TradingAspire.Exchanges;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Exchanges;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class VenueMatcherTests
{
    private static readonly VenueQuote Quote = new(99m, 101m);

    private static VenueOrderResult Match(VenueOptions options, OrderSide side, OrderType type = OrderType.Market, decimal? limit = null) =>
        VenueMatcher.Match("v", options, new VenueOrderRequest("c-1", "o", "BTC-USD", side, type, 10m, limit),
            Quote, new Random(7), TimeSpan.FromMilliseconds(12), DateTimeOffset.UnixEpoch);

    private static VenueOptions Calm() => new() { RejectProbability = 0, PartialFillProbability = 0 };

    [Fact]
    public void Market_orders_fill_fully_at_the_touch()
    {
        var buy = Match(Calm(), OrderSide.Buy);
        Assert.Equal((VenueOrderStatus.Filled, 10m, 101m), (buy.Status, buy.FilledQuantity, buy.Price!.Value));
        Assert.Equal(99m, Match(Calm(), OrderSide.Sell).Price);
        Assert.NotNull(buy.ExecutionId);
    }

    [Fact]
    public void A_limit_that_does_not_cross_is_not_marketable()
    {
        var result = Match(Calm(), OrderSide.Buy, OrderType.Limit, 100.5m);
        Assert.Equal(VenueOrderStatus.NotMarketable, result.Status);
        Assert.Equal(0, result.FilledQuantity);
        Assert.Equal(VenueOrderStatus.Filled, Match(Calm(), OrderSide.Buy, OrderType.Limit, 101m).Status);
    }

    [Fact]
    public void Venue_rejects_and_partial_fills_happen_when_configured()
    {
        Assert.Equal(VenueOrderStatus.Rejected, Match(new VenueOptions { RejectProbability = 1 }, OrderSide.Buy).Status);
        var partial = Match(new VenueOptions { RejectProbability = 0, PartialFillProbability = 1 }, OrderSide.Buy);
        Assert.Equal(VenueOrderStatus.PartiallyFilled, partial.Status);
        Assert.InRange(partial.FilledQuantity, 3m, 9m);
    }

    [Fact]
    public void Latency_follows_the_configured_median_with_outliers()
    {
        var random = new Random(1);
        var venue = new VenueOptions { LatencyMedianMs = 20, LatencySigma = 0.25, OutlierProbability = 0 };
        var samples = Enumerable.Range(0, 2000).Select(_ => LatencyModel.Sample(venue, random).TotalMilliseconds).Order().ToList();
        Assert.InRange(samples[1000], 18, 22);

        var slow = new VenueOptions { LatencyMedianMs = 20, LatencySigma = 0.01, OutlierProbability = 1, OutlierMultiplier = 10 };
        Assert.InRange(LatencyModel.Sample(slow, random).TotalMilliseconds, 190, 210);
    }

    [Fact]
    public void Prices_walk_and_each_venue_quotes_a_spread_around_its_mid()
    {
        var walk = new PriceWalk(seed: 3);
        var venue = new VenueOptions { Symbols = ["BTC-USD"], SpreadBps = 4 };
        var before = walk.Mid("BTC-USD");
        for (var i = 0; i < 50; i++)
        {
            walk.Advance(TimeSpan.FromMilliseconds(100), 4, new Dictionary<string, VenueOptions> { ["v"] = venue });
        }

        Assert.NotEqual(before, walk.Mid("BTC-USD"));
        var quote = walk.Quote("v", "BTC-USD", venue);
        Assert.True(quote.Ask > quote.Bid);
        Assert.InRange((double)((quote.Ask - quote.Bid) / walk.Mid("BTC-USD") * 10_000m), 3.5, 4.5);
    }
}
