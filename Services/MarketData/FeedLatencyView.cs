using HdrHistogram;

namespace TradingAspire.MarketData;

/// <summary>
/// <c>GET /feeds/{venue}/latency</c>: the feed's latency since the service started (quotes and trades received live,
/// not replayed; nothing while monitoring is off). <see cref="Buckets"/> are the histogram's non-empty buckets as
/// [µs, count], so a client can subtract two snapshots and get the percentiles of the interval between them.
/// </summary>
public sealed record FeedLatencyView(string Venue, long Count, double? P50Ms, double? P99Ms, double? P999Ms, double? MaxMs, IReadOnlyList<long[]> Buckets)
{
    public static FeedLatencyView From(string venue, LongHistogram histogram)
    {
        if (histogram.TotalCount == 0)
        {
            return new FeedLatencyView(venue, 0, null, null, null, null, []);
        }

        var buckets = histogram.RecordedValues().Select(v => new[] { v.ValueIteratedTo, v.CountAtValueIteratedTo }).ToList();
        return new FeedLatencyView(venue, histogram.TotalCount, Ms(histogram.GetValueAtPercentile(50)), Ms(histogram.GetValueAtPercentile(99)),
            Ms(histogram.GetValueAtPercentile(99.9)), Ms(histogram.GetMaxValue()), buckets);
    }

    private static double Ms(long micros) => micros / 1000.0;
}
