using TradingAspire.Contracts;
using TradingAspire.TraceAnalytics.Query;

namespace TradingAspire.TraceAnalytics.Feeds;

/// <summary>
/// Sums a period's feed-health reports per venue: uptime (connected seconds / seconds covered by reports), gap rate per
/// 1,000 messages, disconnects, data-quality counts, the latest state and the latency series. Pure: unit-testable.
/// </summary>
public static class FeedHealthAnalysis
{
    /// <summary>Most latency points per venue before report intervals are merged into buckets.</summary>
    public const int MaxPoints = 360;

    public static FeedsResponse Summarize(TimeWindow window, IReadOnlyList<FeedHealthReport> reports, IReadOnlyList<FeedSession> sessions)
    {
        var byVenue = reports.GroupBy(r => r.Venue, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.OrderBy(r => r.IntervalStart).ToArray(), StringComparer.Ordinal);
        var sessionsByVenue = sessions.GroupBy(s => s.Venue, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (IReadOnlyList<FeedSession>)g.ToArray(), StringComparer.Ordinal);
        var venues = byVenue.Keys.Union(sessionsByVenue.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return new FeedsResponse(window.From, window.To, venues
            .Select(venue => Venue(venue, byVenue.GetValueOrDefault(venue) ?? [], sessionsByVenue.GetValueOrDefault(venue) ?? [], window))
            .ToArray());
    }

    private static FeedHealth Venue(string venue, FeedHealthReport[] reports, IReadOnlyList<FeedSession> sessions, TimeWindow window)
    {
        var latest = reports.MaxBy(r => r.IntervalEnd);
        var messages = reports.Sum(r => r.Messages);
        var covered = reports.Sum(r => Math.Max(0, (r.IntervalEnd - r.IntervalStart).TotalSeconds));
        var connected = reports.Sum(r => Math.Max(0, r.ConnectedSeconds));
        var gaps = reports.Sum(r => r.Gaps);
        var gapMessages = reports.Sum(r => r.GapMessages);
        var recovered = reports.Sum(r => r.GapsRecovered);
        return new FeedHealth(
            venue,
            latest?.State,
            latest?.IntervalEnd.UtcDateTime,
            latest?.StaleSymbols,
            reports.LastOrDefault(r => !string.IsNullOrEmpty(r.LastDisconnectReason))?.LastDisconnectReason,
            reports.Length,
            messages,
            new FeedUptime(covered, connected, covered > 0 ? Math.Min(100, 100 * connected / covered) : null),
            new FeedGapRate(gaps, gapMessages, recovered,
                messages > 0 ? 1000.0 * gaps / messages : null,
                messages > 0 ? 1000.0 * gapMessages / messages : null,
                gaps > 0 ? (double)recovered / gaps : null),
            new FeedConnections(reports.Sum(r => r.Disconnects), reports.Sum(r => r.Reconnects)),
            new FeedQuality(reports.Sum(r => r.MalformedFrames), reports.Sum(r => r.OutOfOrder), reports.Sum(r => r.CrossedQuotes)),
            Latency(reports, window),
            sessions);
    }

    private static FeedLatency Latency(FeedHealthReport[] reports, TimeWindow window)
    {
        var worstP99 = reports.Max(r => r.LatencyP99Ms);
        var max = reports.Max(r => r.LatencyMaxMs);
        if (reports.Length <= MaxPoints)
        {
            return new FeedLatency(worstP99, max, null, reports
                .Select(r => new FeedLatencyPoint(r.IntervalStart.UtcDateTime, r.IntervalEnd.UtcDateTime, r.Messages, r.LatencyP50Ms, r.LatencyP99Ms, r.LatencyMaxMs, r.Gaps))
                .ToArray());
        }

        var bucket = TimeSpan.FromSeconds(Math.Ceiling(window.Length.TotalSeconds / MaxPoints));
        var points = reports
            .GroupBy(r => r.IntervalStart.UtcTicks / bucket.Ticks)
            .OrderBy(g => g.Key)
            .Select(g => Bucket(new DateTime(g.Key * bucket.Ticks, DateTimeKind.Utc), bucket, g.ToArray()))
            .ToArray();
        return new FeedLatency(worstP99, max, bucket.TotalSeconds, points);
    }

    private static FeedLatencyPoint Bucket(DateTime start, TimeSpan width, FeedHealthReport[] reports)
    {
        var weighted = reports.Where(r => r.LatencyP50Ms is not null && r.Messages > 0).ToArray();
        var weight = weighted.Sum(r => r.Messages);
        return new FeedLatencyPoint(
            start,
            start + width,
            reports.Sum(r => r.Messages),
            weight > 0 ? weighted.Sum(r => r.LatencyP50Ms!.Value * r.Messages) / weight : null,
            reports.Max(r => r.LatencyP99Ms),
            reports.Max(r => r.LatencyMaxMs),
            reports.Sum(r => r.Gaps));
    }
}
