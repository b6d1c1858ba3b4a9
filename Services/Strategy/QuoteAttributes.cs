using System.Diagnostics;
using TradingAspire.Contracts;
using TradingAspire.MarketPrices;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Strategy;

/// <summary>The triggering quote on a decision's span: venue, venue timestamp (µs), age at decision (ms), feed sequence.</summary>
public static class QuoteAttributes
{
    public static void Tag(Activity? span, BookQuote quote, DateTimeOffset decidedAt)
    {
        if (span is not { IsAllDataRequested: true })
        {
            return;
        }

        span.SetTag(TradingAttributes.SignalQuoteVenue, quote.Venue);
        span.SetTag(TradingAttributes.SignalQuoteTimestamp, quote.VenueMicros);
        span.SetTag(TradingAttributes.SignalQuoteAgeMs, Math.Round(AgeMs(quote, decidedAt), 3));
        if (quote.Seq is { } seq)
        {
            span.SetTag(TradingAttributes.SignalQuoteSeq, seq);
        }
    }

    public static double AgeMs(BookQuote quote, DateTimeOffset at) => Math.Max(0, quote.AgeAt(at).TotalMilliseconds);

    /// <summary>From the quote's venue timestamp to <paramref name="at"/>.</summary>
    public static TimeSpan Since(BookQuote quote, DateTimeOffset at) => at - VenueFeedProtocol.FromMicros(quote.VenueMicros);
}
