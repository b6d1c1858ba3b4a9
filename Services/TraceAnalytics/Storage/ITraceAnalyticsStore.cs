using TradingAspire.TraceAnalytics.Analytics;

namespace TradingAspire.TraceAnalytics.Storage;

/// <summary>What latency statistics can be grouped by.</summary>
public enum LatencyDimension
{
    /// <summary>The span name.</summary>
    Stage,
    /// <summary>The resource's <c>service.name</c>.</summary>
    Service,
    /// <summary><c>trading.venue</c>: the span's own, else the trace's (from the span of the trace that carries it).</summary>
    Venue,
    /// <summary><c>trading.symbol</c>: the span's own, else the trace's.</summary>
    Symbol,
}

/// <summary>Which spans a statistic covers: start time in [From, To), a span name (null: every pipeline stage), a service, a venue.</summary>
public sealed record StageFilter(DateTime From, DateTime To, string? Name = null, string? Service = null, string? Venue = null);

/// <summary>The value of each grouping dimension (null when not grouped by it, or when the span has none).</summary>
public sealed record LatencyKey(string? Stage = null, string? Service = null, string? Venue = null, string? Symbol = null);

public sealed record LatencyGroup(LatencyKey Key, long Count, long Errors, double P50Ms, double P95Ms, double P99Ms)
{
    public double ErrorRate => Count == 0 ? 0 : (double)Errors / Count;
}

public sealed record LatencyBucket(DateTime Start, long Count, long Errors, double? P50Ms, double? P95Ms, double? P99Ms);

public sealed record DurationSample(LatencyKey Key, double DurationMs);

/// <summary>Where a page of search results ends: the last span's sort key (newest first).</summary>
public sealed record SpanCursor(DateTime Timestamp, string TraceId, string SpanId);

public sealed record SpanSearchCriteria(
    DateTime From,
    DateTime To,
    string? Service = null,
    string? Name = null,
    IReadOnlyList<KeyValuePair<string, string>>? Attributes = null,
    long? MinDurationNanos = null,
    long? MaxDurationNanos = null,
    string? StatusCode = null,
    int Limit = 100,
    SpanCursor? After = null);

/// <summary>Matching spans, newest first (without events and links), and the cursor of the next page (null when none).</summary>
public sealed record SpanSearchPage(IReadOnlyList<SpanRecord> Spans, SpanCursor? Next);

/// <summary>A stage span beyond its baseline, as the store found it.</summary>
public sealed record StageOutlierCandidate(StageObservation Observation, StageBaseline Baseline);

/// <summary>
/// The analytic queries behind <c>/api</c>: searches and aggregates over time windows. The DuckDB
/// implementation is <see cref="DuckDbTraceAnalyticsStore"/>; a ClickHouse one would run the same
/// statistics on the same columns (its <c>quantile</c>, <c>median</c> and window functions).
/// </summary>
public interface ITraceAnalyticsStore
{
    Task<SpanSearchPage> SearchSpansAsync(SpanSearchCriteria criteria, CancellationToken cancellationToken = default);

    /// <summary>Count, errors and p50/p95/p99 (linear interpolation, like <c>quantile_cont</c>) per group.</summary>
    Task<IReadOnlyList<LatencyGroup>> GetLatencyAsync(StageFilter filter, IReadOnlyList<LatencyDimension> groupBy, CancellationToken cancellationToken = default);

    /// <summary>The same per time bucket (only buckets holding spans).</summary>
    Task<IReadOnlyList<LatencyBucket>> GetLatencySeriesAsync(StageFilter filter, TimeSpan bucket, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="maxPerGroup"/> durations per group, a deterministic pseudo-random sample.</summary>
    Task<IReadOnlyList<DurationSample>> GetDurationSamplesAsync(StageFilter filter, IReadOnlyList<LatencyDimension> groupBy, int maxPerGroup, CancellationToken cancellationToken = default);

    /// <summary>Every span of the order traces (a span carries <c>trading.order_id</c>) whose root span started in [from, to); at most <paramref name="maxTraces"/> traces (a sample when more).</summary>
    Task<IReadOnlyList<TraceTimeline>> GetTraceTimelinesAsync(DateTime from, DateTime to, int maxTraces, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stage spans whose modified z-score against their stage's (and venue's) median and MAD in the same
    /// filter exceeds <paramref name="threshold"/>, worst first; groups with fewer than <paramref name="minSamples"/> spans are skipped.
    /// </summary>
    /// <param name="minExcessMs">Practical significance: a span must also be at least this many ms above its stage's median.</param>
    Task<IReadOnlyList<StageOutlierCandidate>> FindStageOutliersAsync(StageFilter filter, double threshold, int minSamples, int limit, CancellationToken cancellationToken = default, double minExcessMs = 0);
}
