using System.Collections.Frozen;

namespace TradingAspire.MarketPrices;

/// <summary>
/// The consolidated book at one moment: every venue's latest quote per symbol. Immutable, so a
/// decision reads one consistent view without locks; <see cref="ConsolidatedBook"/> swaps in a new one
/// per batch of updates (every ~20 ms, not per feed message).
/// </summary>
public sealed class BookSnapshot
{
    public static readonly BookSnapshot Empty = new(FrozenDictionary<(string, string), BookQuote>.Empty);

    private readonly FrozenDictionary<(string Venue, string Symbol), BookQuote> quotes;
    private readonly FrozenDictionary<string, BookQuote[]> bySymbol;

    private BookSnapshot(FrozenDictionary<(string Venue, string Symbol), BookQuote> quotes)
    {
        this.quotes = quotes;
        bySymbol = quotes.Values
            .GroupBy(q => q.Symbol, StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(g => g.Key, g => g.OrderBy(q => q.Venue, StringComparer.Ordinal).ToArray(), StringComparer.OrdinalIgnoreCase);
        Venues = quotes.Keys.Select(k => k.Venue).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToArray();
    }

    public bool IsEmpty => quotes.Count == 0;

    public int Count => quotes.Count;

    /// <summary>Every venue that has quoted anything.</summary>
    public IReadOnlyList<string> Venues { get; }

    /// <summary>Every venue's latest quote of <paramref name="symbol"/>, fresh or not, ordered by venue.</summary>
    public IReadOnlyList<BookQuote> For(string symbol) => bySymbol.TryGetValue(symbol, out var list) ? list : [];

    public IEnumerable<BookQuote> All => quotes.Values;

    /// <summary>
    /// This snapshot with <paramref name="updates"/> applied: a quote replaces the one held for its venue and
    /// symbol unless the held one was received later (an older hash reload never undoes a newer update).
    /// </summary>
    public BookSnapshot With(IEnumerable<BookQuote> updates)
    {
        var next = new Dictionary<(string, string), BookQuote>(quotes);
        var changed = false;
        foreach (var quote in updates)
        {
            var key = (quote.Venue, quote.Symbol);
            if (!next.TryGetValue(key, out var held) || held.ReceivedMicros <= quote.ReceivedMicros)
            {
                next[key] = quote;
                changed = true;
            }
        }

        return changed ? new BookSnapshot(next.ToFrozenDictionary()) : this;
    }
}
