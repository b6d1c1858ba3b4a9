using TradingAspire.Contracts;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>Feed-health reports for tests: report <c>interval</c> of a venue covers the 5 s from <c>t0 + 5·interval</c>.</summary>
public static class FeedHealthReports
{
    public static FeedHealthReport At(
        DateTime t0, string venue, int interval, string state, double connected, long messages, double? p50, double? p99, double? max,
        long gaps = 0, long gapMessages = 0, long recovered = 0, long disconnects = 0, long reconnects = 0,
        long outOfOrder = 0, long crossed = 0, long malformed = 0, int stale = 0, string? trace = null, string? reason = null) =>
        new(venue, t0.AddSeconds(5 * interval), t0.AddSeconds(5 * (interval + 1)), state, connected, messages, p50, p99, max,
            gaps, gapMessages, recovered, disconnects, reconnects, outOfOrder, crossed, malformed, stale, trace, reason);
}
