using TradingAspire.TraceAnalytics.Query;

namespace TradingAspire.TraceAnalytics.Feeds;

/// <summary>The answer of <c>GET /api/feeds</c>: the period's reports and session spans from the store, summed by <see cref="FeedHealthAnalysis"/>.</summary>
public sealed class FeedHealthService(IFeedHealthStore store)
{
    public async Task<FeedsResponse> GetFeedsAsync(TimeWindow window, CancellationToken cancellationToken = default)
    {
        var reports = await store.GetReportsAsync(window, cancellationToken).ConfigureAwait(false);
        var named = reports
            .Select(r => TraceIdFormat.TryNormalize(r.SessionTraceId, out var traceId) ? traceId : null)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var spans = await store.GetSessionSpansAsync(window, named, cancellationToken).ConfigureAwait(false);
        return FeedHealthAnalysis.Summarize(window, reports, FeedSessionReader.Read(spans, window));
    }
}
