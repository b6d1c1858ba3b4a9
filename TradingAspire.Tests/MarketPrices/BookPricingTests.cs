using TradingAspire.Contracts;
using TradingAspire.Execution;
using TradingAspire.MarketPrices;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.MarketPrices;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class BookPricingTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(3);

    private static BookQuote Quote(string venue, decimal bid, decimal ask, double ageMs = 10, bool stale = false, long? received = null) =>
        new(venue, "BTC-USD", bid, ask, 1, 1,
            VenueFeedProtocol.ToMicros(Now - TimeSpan.FromMilliseconds(ageMs)),
            received ?? VenueFeedProtocol.ToMicros(Now - TimeSpan.FromMilliseconds(ageMs / 2)), stale);

    [Fact]
    public void The_reference_is_the_mid_of_the_best_bid_and_best_ask_across_venues_aged_by_the_older_of_the_two()
    {
        var reference = BookPricing.Reference(
            [Quote("binance", 100, 104, ageMs: 20), Quote("kraken", 101, 105, ageMs: 50), Quote("coinbase", 99, 103, ageMs: 5)], Now, MaxAge);

        Assert.NotNull(reference);
        Assert.Equal(102m, reference.Value.Price); // best bid 101 (kraken), best ask 103 (coinbase)
        Assert.Equal(50, reference.Value.Age.TotalMilliseconds, 3);
    }

    [Fact]
    public void Stale_too_old_and_crossed_quotes_are_never_used()
    {
        BookQuote[] quotes =
        [
            Quote("binance", 200, 204, stale: true),
            Quote("kraken", 300, 304, ageMs: 3_500),
            Quote("coinbase", 105, 104), // crossed
            Quote("bitstamp", 100, 102),
        ];

        Assert.Equal(101m, BookPricing.Reference(quotes, Now, MaxAge)!.Value.Price);
        Assert.Null(BookPricing.Reference(quotes[..3], Now, MaxAge));
        Assert.Equal(10, BookPricing.NewestAge(quotes, Now)!.Value.TotalMilliseconds, 3);
    }

    [Fact]
    public void A_book_update_never_replaces_a_quote_with_one_received_earlier()
    {
        var newer = Quote("binance", 101, 102, received: 2_000);
        var older = Quote("binance", 90, 91, received: 1_000);
        var book = BookSnapshot.Empty.With([newer]).With([older, Quote("kraken", 100, 103)]);

        Assert.Equal(101m, book.For("BTC-USD").Single(q => q.Venue == "binance").Bid);
        Assert.Equal(["binance", "kraken"], book.Venues);

        // The same quote marked stale (same receive time) does replace it.
        var staled = book.With([newer with { Stale = true }]);
        Assert.True(staled.For("btc-usd").Single(q => q.Venue == "binance").Stale);
    }

    [Fact]
    public void Routing_leaves_stale_venues_out_and_remembers_each_venues_quote_age()
    {
        var book = BookSnapshot.Empty.With([Quote("binance", 100, 101, ageMs: 40), Quote("kraken", 100, 101, stale: true), Quote("coinbase", 100, 101, ageMs: 4_000)]);

        var quotes = RouteQuotes.For(book, "BTC-USD", Now, MaxAge);

        Assert.Equal(["binance"], quotes.Fresh.Select(v => v.Name));
        Assert.Equal(["coinbase", "kraken"], quotes.Stale.Select(v => v.Name).Order());
        Assert.Equal(3, quotes.All.Count);
        Assert.Equal(40, quotes.AgeMs("binance"));
        Assert.Null(quotes.AgeMs("bitstamp"));
        Assert.Equal(new VenueQuote(100, 101), quotes.Fresh[0].Quotes["BTC-USD"]);
    }
}
