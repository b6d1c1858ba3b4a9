using TradingAspire.MarketPrices;

namespace TradingAspire.Strategy;

/// <summary>
/// Which quotes may trigger a signal. A quote from a disconnected feed or one marketdata marked stale
/// (<see cref="BookQuote.Stale"/>), one older than the strategy's own limit, or a crossed or empty one never does:
/// <see cref="Reason"/> names why (the value of <c>trading.signal.suppressed_reason</c>). Pure: unit-tested directly.
/// </summary>
public static class QuoteScreen
{
    /// <summary>marketdata marked the quote stale: its feed is down or the symbol had no update for a while.</summary>
    public const string Stale = "stale";

    /// <summary>Older than <c>Strategy:MaxQuoteAge</c> by the strategy's own clock (e.g. marketdata itself stopped).</summary>
    public const string TooOld = "too_old";

    /// <summary>Bid at or above ask, or no price at all.</summary>
    public const string Crossed = "crossed";

    /// <summary>Null when the quote may trigger a signal, else why not.</summary>
    public static string? Reason(BookQuote quote, DateTimeOffset now, TimeSpan maxAge)
    {
        if (BookPricing.IsUsable(quote, now, maxAge))
        {
            return null;
        }

        if (quote.Stale)
        {
            return Stale;
        }

        return quote.Bid <= 0 || quote.Ask <= quote.Bid ? Crossed : TooOld;
    }
}
