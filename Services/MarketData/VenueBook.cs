using TradingAspire.MarketPrices;

namespace TradingAspire.MarketData;

/// <summary>
/// One venue's latest quote per symbol, written by its feed's loop (one writer) and read by the book
/// publisher. A slot changes in place (no allocation per quote); its version tells the publisher what changed.
/// </summary>
public sealed class VenueBook(string venue, SymbolTable symbols)
{
    private readonly Slot[] slots = [.. symbols.Symbols.Select(_ => new Slot())];

    public string Venue { get; } = venue;
    public SymbolTable Symbols { get; } = symbols;

    /// <summary>
    /// Takes the quote unless an older one (a replayed message) would overwrite a newer one. Returns whether it did.
    /// <paramref name="seq"/> is the feed message's sequence number (0 when unknown); <paramref name="traceParent"/> the
    /// marketdata span that carried it (<see cref="BookQuote.TraceParent"/>): a string formatted once per session or per
    /// sampled message, so keeping it is a reference write.
    /// </summary>
    public bool Update(int symbol, decimal bid, decimal ask, decimal bidSize, decimal askSize, long venueMicros, long receivedMicros,
        long seq = 0, string? traceParent = null)
    {
        var slot = slots[symbol];
        lock (slot)
        {
            if (slot.Version > 0 && venueMicros < slot.VenueMicros)
            {
                return false;
            }

            slot.Bid = bid;
            slot.Ask = ask;
            slot.BidSize = bidSize;
            slot.AskSize = askSize;
            slot.VenueMicros = venueMicros;
            slot.ReceivedMicros = receivedMicros;
            slot.Seq = seq;
            slot.TraceParent = traceParent;
            slot.Version++;
            return true;
        }
    }

    /// <summary>When the symbol's last quote arrived (µs since the epoch), 0 if never.</summary>
    public long ReceivedMicros(int symbol) => Volatile.Read(ref slots[symbol].ReceivedMicros);

    /// <summary>Symbols quoted at least once whose last quote arrived before <paramref name="staleBeforeMicros"/>, plus those never quoted.</summary>
    public int StaleCount(long staleBeforeMicros)
    {
        var stale = 0;
        for (var i = 0; i < slots.Length; i++)
        {
            if (ReceivedMicros(i) < staleBeforeMicros)
            {
                stale++;
            }
        }

        return stale;
    }

    /// <summary>
    /// Adds to <paramref name="changed"/> every quote that changed since the last call, or whose staleness
    /// changed (<paramref name="feedDown"/>, or no update since <paramref name="staleBeforeMicros"/>).
    /// </summary>
    public void CollectChanges(bool feedDown, long staleBeforeMicros, List<BookQuote> changed)
    {
        for (var i = 0; i < slots.Length; i++)
        {
            var slot = slots[i];
            lock (slot)
            {
                if (slot.Version == 0)
                {
                    continue;
                }

                var stale = feedDown || slot.ReceivedMicros < staleBeforeMicros;
                if (slot.Version == slot.PublishedVersion && stale == slot.PublishedStale)
                {
                    continue;
                }

                slot.PublishedVersion = slot.Version;
                slot.PublishedStale = stale;
                changed.Add(new BookQuote(Venue, Symbols.Symbols[i], slot.Bid, slot.Ask, slot.BidSize, slot.AskSize,
                    slot.VenueMicros, slot.ReceivedMicros, stale, SeqOf(slot), slot.TraceParent));
            }
        }
    }

    /// <summary>Every quoted symbol's latest quote (for <c>/feeds</c> and tests).</summary>
    public IReadOnlyList<BookQuote> Snapshot(bool feedDown, long staleBeforeMicros)
    {
        var quotes = new List<BookQuote>();
        for (var i = 0; i < slots.Length; i++)
        {
            var slot = slots[i];
            lock (slot)
            {
                if (slot.Version > 0)
                {
                    quotes.Add(new BookQuote(Venue, Symbols.Symbols[i], slot.Bid, slot.Ask, slot.BidSize, slot.AskSize,
                        slot.VenueMicros, slot.ReceivedMicros, feedDown || slot.ReceivedMicros < staleBeforeMicros, SeqOf(slot), slot.TraceParent));
                }
            }
        }

        return quotes;
    }

    private static long? SeqOf(Slot slot) => slot.Seq > 0 ? slot.Seq : null;

    private sealed class Slot
    {
        public decimal Bid;
        public decimal Ask;
        public decimal BidSize;
        public decimal AskSize;
        public long VenueMicros;
        public long ReceivedMicros;
        public long Seq;
        public string? TraceParent;
        public long Version;
        public long PublishedVersion;
        public bool PublishedStale;
    }
}
