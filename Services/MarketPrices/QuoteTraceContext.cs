using System.Diagnostics;

namespace TradingAspire.MarketPrices;

/// <summary>
/// The <see cref="BookQuote.TraceParent"/> of a marketdata span: a W3C <c>traceparent</c>
/// (<c>00-{trace id}-{span id}-{flags}</c>, 55 characters). The trace and span ids of an <see cref="ActivityContext"/>
/// keep their hex text, so formatting allocates the one result string; marketdata formats its session span's once per
/// connection and a sampled message span's once per sampled message, never once per quote.
/// </summary>
public static class QuoteTraceContext
{
    /// <summary>The traceparent of a sampled (recorded) span; null for one that is not sampled (nothing to link to).</summary>
    public static string? Format(ActivityContext context) =>
        (context.TraceFlags & ActivityTraceFlags.Recorded) == 0 || context.TraceId == default
            ? null
            : string.Concat("00-", context.TraceId.ToHexString(), "-", context.SpanId.ToHexString(), "-01");
}
