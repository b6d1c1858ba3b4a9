namespace TradingAspire.MarketPrices;

/// <summary>A price a decision used, and how old it was when it was used.</summary>
public readonly record struct PricedAt(decimal Price, TimeSpan Age);

/// <summary>
/// What decisions read from the book. A quote is usable when marketdata has not marked it stale, it is
/// younger than <c>maxAge</c> (the consumer's own guard: if marketdata itself stops, its last quotes age
/// out here) and it is not crossed. Pure: unit-tested directly.
/// </summary>
public static class BookPricing
{
    public static bool IsUsable(BookQuote quote, DateTimeOffset now, TimeSpan maxAge) =>
        !quote.Stale && quote.Bid > 0 && quote.Ask > quote.Bid && quote.AgeAt(now) <= maxAge;

    /// <summary>
    /// The consolidated reference price of a symbol: the mid of the best bid and the best ask across the venues
    /// with usable quotes; its age is that of the older of the two quotes. Null when no venue has a usable quote.
    /// </summary>
    public static PricedAt? Reference(IReadOnlyList<BookQuote> quotes, DateTimeOffset now, TimeSpan maxAge)
    {
        BookQuote? bestBid = null, bestAsk = null;
        foreach (var quote in quotes)
        {
            if (!IsUsable(quote, now, maxAge))
            {
                continue;
            }

            if (bestBid is null || quote.Bid > bestBid.Bid)
            {
                bestBid = quote;
            }

            if (bestAsk is null || quote.Ask < bestAsk.Ask)
            {
                bestAsk = quote;
            }
        }

        if (bestBid is null || bestAsk is null)
        {
            return null;
        }

        var age = bestBid.AgeAt(now) > bestAsk.AgeAt(now) ? bestBid.AgeAt(now) : bestAsk.AgeAt(now);
        return new PricedAt((bestBid.Bid + bestAsk.Ask) / 2, age < TimeSpan.Zero ? TimeSpan.Zero : age);
    }

    /// <summary>The age of the newest quote of a symbol, usable or not (to say how stale "no price" is).</summary>
    public static TimeSpan? NewestAge(IReadOnlyList<BookQuote> quotes, DateTimeOffset now) =>
        quotes.Count == 0 ? null : quotes.Min(q => q.AgeAt(now));
}
