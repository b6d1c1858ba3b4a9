using TradingAspire.MarketPrices;
using TradingAspire.Strategy;
using TradingAspire.Tests.Support;
using static TradingAspire.Tests.Strategy.StrategyQuotes;

namespace TradingAspire.Tests.Strategy;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class QuoteChangesTests
{
    [Fact]
    public void Unusable_quotes_are_counted_once_by_reason_and_never_offered_to_the_strategies()
    {
        var changes = new QuoteChanges();
        var suppressed = new List<(string Reason, string Venue)>();
        var book = BookSnapshot.Empty.With([
            Quote("binance", 100m, 101m, bidSize: 9, askSize: 1),
            Quote("kraken", 100m, 101m, bidSize: 9, askSize: 1, stale: true),
            Quote("coinbase", 101m, 100m),
            Quote("binance", 100m, 101m, age: TimeSpan.FromSeconds(3), symbol: "ETH-USD"),
        ]);

        var fresh = changes.Next(book, Now, MaxAge, (reason, quote) => suppressed.Add((reason, quote.Venue)));

        Assert.Equal("binance", Assert.Single(fresh).Venue);
        Assert.Equal([(QuoteScreen.Crossed, "coinbase"), (QuoteScreen.Stale, "kraken"), (QuoteScreen.TooOld, "binance")],
            suppressed.OrderBy(s => s.Reason));

        // The same snapshot again: nothing new, nothing counted twice.
        Assert.Empty(changes.Next(book, Now, MaxAge, (reason, quote) => suppressed.Add((reason, quote.Venue))));
        Assert.Equal(3, suppressed.Count);
    }

    [Fact]
    public void A_feed_coming_back_makes_its_quote_usable_again()
    {
        var changes = new QuoteChanges();
        var stale = Quote("kraken", 100m, 101m, stale: true);
        changes.Next(BookSnapshot.Empty.With([stale]), Now, MaxAge, (_, _) => { });

        var back = BookSnapshot.Empty.With([stale with { Stale = false }]);
        Assert.Single(changes.Next(back, Now, MaxAge, (_, _) => Assert.Fail("a usable quote was suppressed")));
    }
}
