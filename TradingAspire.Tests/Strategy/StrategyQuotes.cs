using TradingAspire.Contracts;
using TradingAspire.MarketPrices;

namespace TradingAspire.Tests.Strategy;

/// <summary>Quotes for the strategy tests, timed relative to <see cref="Now"/>.</summary>
internal static class StrategyQuotes
{
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    public static BookQuote Quote(string venue, decimal bid, decimal ask, decimal bidSize = 5, decimal askSize = 5,
        TimeSpan? age = null, bool stale = false, string symbol = "BTC-USD", long? seq = null, string? traceParent = null)
    {
        var micros = VenueFeedProtocol.ToMicros(Now - (age ?? TimeSpan.FromMilliseconds(20)));
        return new BookQuote(venue, symbol, bid, ask, bidSize, askSize, micros, micros + 500, stale, seq, traceParent);
    }
}
