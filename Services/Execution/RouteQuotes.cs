using TradingAspire.Contracts;
using TradingAspire.MarketPrices;

namespace TradingAspire.Execution;

/// <summary>
/// The quotes a routing decision may use for one symbol, from the consolidated book: <see cref="Fresh"/> venues
/// (usable quotes, see <see cref="BookPricing.IsUsable"/>) and <see cref="Stale"/> ones (listed, but their quote is
/// stale, too old or crossed: left out, like a venue that is away). Pure: unit-tested directly.
/// </summary>
public sealed record RouteQuotes(IReadOnlyList<VenueInfo> Fresh, IReadOnlyList<VenueInfo> Stale, IReadOnlyDictionary<string, TimeSpan> Ages)
{
    public static RouteQuotes For(BookSnapshot book, string symbol, DateTimeOffset now, TimeSpan maxAge)
    {
        var quotes = book.For(symbol);
        var fresh = new List<VenueInfo>(quotes.Count);
        var stale = new List<VenueInfo>();
        var ages = new Dictionary<string, TimeSpan>(quotes.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var quote in quotes)
        {
            var venue = new VenueInfo(quote.Venue, [quote.Symbol],
                new Dictionary<string, VenueQuote>(StringComparer.OrdinalIgnoreCase) { [quote.Symbol] = new(quote.Bid, quote.Ask) });
            ages[quote.Venue] = quote.AgeAt(now);
            (BookPricing.IsUsable(quote, now, maxAge) ? fresh : stale).Add(venue);
        }

        return new RouteQuotes(fresh, stale, ages);
    }

    /// <summary>Every venue quoting the symbol, usable or not: the ones an order may wait for.</summary>
    public IReadOnlyList<VenueInfo> All => Stale.Count == 0 ? Fresh : [.. Fresh, .. Stale];

    public double? AgeMs(string venue) => Ages.TryGetValue(venue, out var age) ? Math.Round(Math.Max(0, age.TotalMilliseconds), 3) : null;
}
