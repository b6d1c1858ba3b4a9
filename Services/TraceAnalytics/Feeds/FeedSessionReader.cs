using TradingAspire.Contracts;
using TradingAspire.ServiceDefaults;
using TradingAspire.TraceAnalytics.Query;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.Feeds;

/// <summary>
/// Turns the stored <c>marketdata.session</c> and <c>marketdata.connect</c> spans into one <see cref="FeedSession"/> per
/// trace: open (only the connect span stored: the root is exported when the session ends) or ended, with the reason of
/// its <c>disconnected</c> event. Pure: the store finds the spans, this reads them.
/// </summary>
public static class FeedSessionReader
{
    /// <summary>The page's trace view for a trace id (the same URL its search writes).</summary>
    public static string TraceUrl(string traceId) => "/?trace=" + Uri.EscapeDataString(traceId);

    /// <summary>Sessions that overlap <paramref name="window"/> (started before its end, not ended before its start), newest first.</summary>
    public static IReadOnlyList<FeedSession> Read(IEnumerable<SpanRecord> spans, TimeWindow window) =>
        spans
            .Where(span => span.SpanName is MarketDataSpans.Session or MarketDataSpans.Connect)
            .DistinctBy(span => (span.TraceId, span.SpanId))
            .GroupBy(span => span.TraceId, StringComparer.Ordinal)
            .Select(FromTrace)
            .OfType<FeedSession>()
            .Where(session => session.Start < window.To && (session.End is null || session.End > window.From))
            .OrderByDescending(session => session.Start)
            .ThenBy(session => session.TraceId, StringComparer.Ordinal)
            .ToArray();

    private static FeedSession? FromTrace(IGrouping<string, SpanRecord> trace)
    {
        var root = trace.Where(span => span.SpanName == MarketDataSpans.Session).MinBy(span => span.Timestamp);
        var connect = trace.Where(span => span.SpanName == MarketDataSpans.Connect).MinBy(span => span.Timestamp);
        var main = root ?? connect;
        var venue = root?.Venue ?? connect?.Venue;
        if (main is null || venue is null)
        {
            return null;
        }

        return new FeedSession(
            trace.Key,
            venue,
            Attribute(root, TradingAttributes.FeedSessionId) ?? Attribute(connect, TradingAttributes.FeedSessionId),
            main.Timestamp,
            root?.EndTimestamp,
            main.StatusCode,
            main.StatusMessage,
            DisconnectReason(root),
            TraceUrl(trace.Key));
    }

    /// <summary>
    /// The reason of the session's last <c>disconnected</c> event (<c>trading.marketdata.disconnect_reason</c>, or
    /// <c>reason</c>), else the span's own <c>trading.marketdata.disconnect_reason</c>.
    /// </summary>
    private static string? DisconnectReason(SpanRecord? root)
    {
        if (root is null)
        {
            return null;
        }

        var disconnected = root.Events.LastOrDefault(e => e.Name == MarketDataSpans.Events.Disconnected);
        if (disconnected is not null)
        {
            foreach (var key in new[] { TradingAttributes.FeedDisconnectReason, "reason" })
            {
                if (disconnected.Attributes.TryGetValue(key, out var reason) && reason.Length > 0)
                {
                    return reason;
                }
            }
        }

        return Attribute(root, TradingAttributes.FeedDisconnectReason);
    }

    private static string? Attribute(SpanRecord? span, string key) =>
        span is not null && span.SpanAttributes.TryGetValue(key, out var value) && value.Length > 0 ? value : null;
}
