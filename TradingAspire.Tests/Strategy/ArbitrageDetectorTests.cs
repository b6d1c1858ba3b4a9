using TradingAspire.Strategy;
using TradingAspire.Tests.Support;
using static TradingAspire.Tests.Strategy.StrategyQuotes;

namespace TradingAspire.Tests.Strategy;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class ArbitrageDetectorTests
{
    private static ArbitrageOpportunity? Find(double feeBps, double thresholdBps, params TradingAspire.MarketPrices.BookQuote[] quotes) =>
        ArbitrageDetector.Find(quotes, Now, MaxAge, _ => feeBps, thresholdBps, notional: 2_000m);

    [Fact]
    public void Buys_on_the_lowest_ask_and_sells_on_the_highest_bid_when_the_spread_beats_fees_and_threshold()
    {
        var opportunity = Find(0.5, 0.5,
            Quote("binance", 100_020m, 100_022m),
            Quote("kraken", 99_998m, 100_000m),
            Quote("coinbase", 100_005m, 100_010m));

        Assert.NotNull(opportunity);
        Assert.Equal("kraken", opportunity.Buy.Venue);
        Assert.Equal("binance", opportunity.Sell.Venue);
        Assert.Equal(0.02m, opportunity.Quantity);

        // Reference: (bid − ask) / mid in bp, minus both fees; in currency (bid − ask)·q − fees·mid·q.
        var mid = (100_020m + 100_000m) / 2;
        var gross = (double)(20m / mid) * 10_000;
        Assert.Equal(gross, opportunity.GrossEdgeBps, 3);
        Assert.Equal(1.0, opportunity.FeesBps);
        Assert.Equal(gross - 1.0, opportunity.ExpectedEdgeBps, 3);
        var currency = 20m * 0.02m - 0.0001m * mid * 0.02m;
        Assert.Equal((double)currency, (double)opportunity.ExpectedEdge, 5);
    }

    [Fact]
    public void No_opportunity_when_the_spread_does_not_beat_both_fees()
    {
        // 2 bp gross against 1 bp + 1 bp of fees.
        Assert.Null(Find(1.0, 0, Quote("binance", 100_020m, 100_022m), Quote("kraken", 99_998m, 100_000m)));
    }

    [Fact]
    public void No_opportunity_when_the_edge_after_fees_does_not_beat_the_threshold()
    {
        // ~1 bp after fees against a 1 bp threshold.
        Assert.Null(Find(0.5, 1.0, Quote("binance", 100_020m, 100_022m), Quote("kraken", 99_998m, 100_000m)));
        Assert.NotNull(Find(0.5, 0.9, Quote("binance", 100_020m, 100_022m), Quote("kraken", 99_998m, 100_000m)));
    }

    [Fact]
    public void No_opportunity_when_the_books_do_not_cross_across_venues()
    {
        Assert.Null(Find(0, 0, Quote("binance", 100_000m, 100_002m), Quote("kraken", 99_999m, 100_001m)));
    }

    [Fact]
    public void Each_venue_pays_its_own_fee()
    {
        var fees = new Dictionary<string, double> { ["binance"] = 0.2, ["kraken"] = 1.5 };
        var opportunity = ArbitrageDetector.Find([Quote("binance", 100_020m, 100_022m), Quote("kraken", 99_998m, 100_000m)],
            Now, MaxAge, v => fees[v], 0, 2_000m);
        Assert.NotNull(opportunity);
        Assert.Equal(1.7, opportunity.FeesBps, 6);
    }

    [Theory]
    [InlineData("stale")]
    [InlineData("old")]
    [InlineData("crossed")]
    public void A_stale_old_or_crossed_quote_never_makes_an_opportunity(string fault)
    {
        // The faulty venue's price would promise a 100 bp edge.
        var faulty = fault switch
        {
            "stale" => Quote("kraken", 98_998m, 99_000m, stale: true),
            "old" => Quote("kraken", 98_998m, 99_000m, age: TimeSpan.FromSeconds(5)),
            _ => Quote("kraken", 99_000m, 99_000m),
        };

        Assert.Null(Find(0.5, 0.5, Quote("binance", 100_000m, 100_002m), faulty));
    }

    [Fact]
    public void The_quantity_is_the_notional_capped_by_the_quoted_sizes()
    {
        var opportunity = Find(0, 0, Quote("binance", 100_020m, 100_022m, bidSize: 0.005m), Quote("kraken", 99_998m, 100_000m));
        Assert.NotNull(opportunity);
        Assert.Equal(0.005m, opportunity.Quantity);
        Assert.Equal(20m, ArbitrageDetector.Quantity(2_000m, 99.5m, 0));
        Assert.Equal(0m, ArbitrageDetector.Quantity(2_000m, 0m, 0));
    }
}
