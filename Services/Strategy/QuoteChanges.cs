using TradingAspire.MarketPrices;

namespace TradingAspire.Strategy;

/// <summary>
/// The quotes of a book snapshot that are new since the previous call (or whose staleness changed), split by
/// <see cref="QuoteScreen"/>: each unusable one is reported once with its reason, the usable ones are returned,
/// the only quotes that may trigger a signal. One instance per reader (not thread-safe).
/// </summary>
public sealed class QuoteChanges
{
    private readonly Dictionary<(string Venue, string Symbol), (long ReceivedMicros, bool Stale)> seen = [];
    private readonly List<BookQuote> fresh = [];

    public IReadOnlyList<BookQuote> Next(BookSnapshot snapshot, DateTimeOffset now, TimeSpan maxAge, Action<string, BookQuote> suppressed)
    {
        fresh.Clear();
        foreach (var quote in snapshot.All)
        {
            var key = (quote.Venue, quote.Symbol);
            if (seen.TryGetValue(key, out var last) && last == (quote.ReceivedMicros, quote.Stale))
            {
                continue;
            }

            seen[key] = (quote.ReceivedMicros, quote.Stale);
            if (QuoteScreen.Reason(quote, now, maxAge) is { } reason)
            {
                suppressed(reason, quote);
            }
            else
            {
                fresh.Add(quote);
            }
        }

        return fresh;
    }
}
