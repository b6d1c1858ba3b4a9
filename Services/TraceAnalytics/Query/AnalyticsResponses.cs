using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.Query;

/// <summary>A span found by <c>GET /api/spans/search</c>.</summary>
public sealed record SpanHit(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    string Kind,
    string ServiceName,
    DateTime StartTime,
    double DurationMs,
    string StatusCode,
    string StatusMessage,
    IReadOnlyDictionary<string, string> Attributes)
{
    /// <summary>The span as <see cref="SpanResponse"/> shows it, without scope, end time and events.</summary>
    public static SpanHit From(SpanRecord span) => From(SpanResponse.From(span));

    private static SpanHit From(SpanResponse s) =>
        new(s.TraceId, s.SpanId, s.ParentSpanId, s.Name, s.Kind, s.ServiceName, s.StartTime, s.DurationMs, s.StatusCode, s.StatusMessage, s.Attributes);
}

/// <summary><c>GET /api/spans/search</c>: a page of matching spans, newest first; <c>nextCursor</c> fetches the next page (null on the last).</summary>
public sealed record SpanSearchResponse(DateTime From, DateTime To, IReadOnlyList<SpanHit> Spans, string? NextCursor);

/// <summary>Count, error rate and percentiles (ms) of one group; the grouping fields not asked for are null.</summary>
public sealed record LatencyGroupResponse(
    string? Stage, string? Service, string? Venue, string? Symbol,
    long Count, long ErrorCount, double ErrorRate, double P50Ms, double P95Ms, double P99Ms)
{
    public static LatencyGroupResponse From(LatencyGroup group) => new(
        group.Key.Stage, group.Key.Service, group.Key.Venue, group.Key.Symbol,
        group.Count, group.Errors, group.ErrorRate, group.P50Ms, group.P95Ms, group.P99Ms);
}

/// <summary><c>GET /api/stages/percentiles</c>.</summary>
public sealed record PercentilesResponse(DateTime From, DateTime To, IReadOnlyList<string> GroupBy, string? Name, IReadOnlyList<LatencyGroupResponse> Groups);

/// <summary>One bucket of <c>GET /api/stages/timeseries</c>; percentiles are null in a bucket without spans.</summary>
public sealed record TimeseriesPoint(DateTime Start, long Count, long ErrorCount, double? P50Ms, double? P95Ms, double? P99Ms);

/// <summary><c>GET /api/stages/timeseries</c>: every bucket of the window, empty ones included.</summary>
public sealed record TimeseriesResponse(DateTime From, DateTime To, string? Stage, double BucketSeconds, IReadOnlyList<TimeseriesPoint> Points);

public sealed record CriticalPathSegmentResponse(string? SpanId, string Name, string ServiceName, string Stage, string Kind, double StartOffsetMs, double DurationMs);

public sealed record CriticalPathSpanResponse(
    string SpanId, string? ParentSpanId, string Name, string ServiceName, string Stage,
    DateTime StartTime, double DurationMs, double OnPathMs, double WaitMs, double SelfTimeMs);

public sealed record LargestStageResponse(string Stage, double OnPathMs, double Share);

/// <summary><c>GET /api/traces/{traceId}/critical-path</c>.</summary>
public sealed record CriticalPathResponse(
    string TraceId,
    DateTime StartTime,
    double DurationMs,
    IReadOnlyList<CriticalPathSegmentResponse> Segments,
    IReadOnlyList<CriticalPathSpanResponse> Spans,
    CriticalPathSpanResponse? LargestSelfTime,
    LargestStageResponse? LargestStage);

public sealed record StageBottleneckResponse(string Stage, double Share, double TailShare, double CriticalPathMs, int Traces, double? P95Ms, double? P99Ms);

public sealed record VenueBottleneckResponse(string Venue, string Stage, double Share, double CriticalPathMs, int Traces, int VenueTraces);

/// <summary><c>GET /api/bottlenecks</c>: stages by share of end-to-end latency (critical-path time over summed trace durations).</summary>
public sealed record BottlenecksResponse(
    DateTime From, DateTime To, int Traces, double? TraceP50Ms, double? TraceP95Ms, double? TraceP99Ms,
    IReadOnlyList<StageBottleneckResponse> Stages, IReadOnlyList<VenueBottleneckResponse> ByVenue);

public sealed record WindowResponse(DateTime From, DateTime To);

public sealed record PercentileSet(long Count, double P50Ms, double P95Ms, double P99Ms);

public sealed record PercentileDelta(double P50, double P95, double P99);

public sealed record StageComparison(
    string? Stage, string? Service, string? Venue, string? Symbol,
    PercentileSet? A, PercentileSet? B,
    PercentileDelta? DeltaMs, PercentileDelta? DeltaPercent,
    double? PValue, bool Significant, double? ProbabilityBSlower, string Hint);

/// <summary><c>GET /api/compare</c>: window B against window A, per stage.</summary>
public sealed record CompareResponse(WindowResponse A, WindowResponse B, string SignificanceTest, double Alpha, IReadOnlyList<string> GroupBy, IReadOnlyList<StageComparison> Stages);

public sealed record AnomalousSpan(
    string SpanId, string Stage, string ServiceName, string? Venue, DateTime StartTime,
    double DurationMs, double MedianMs, double MadMs, double Score, double? MadsAboveMedian, string Reason);

public sealed record TraceAnomaly(string TraceId, string? OrderId, DateTime StartTime, double MaxScore, IReadOnlyList<string> Reasons, IReadOnlyList<AnomalousSpan> Spans);

/// <summary><c>GET /api/anomalies</c>: traces with stage durations far outside their stage's distribution in the window, worst first.</summary>
public sealed record AnomaliesResponse(DateTime From, DateTime To, double Threshold, string Method, IReadOnlyList<TraceAnomaly> Traces);

public sealed record RecommendationResponse(string Severity, string Stage, string? Venue, string Message);

/// <summary><c>GET /api/recommendations</c>.</summary>
public sealed record RecommendationsResponse(DateTime From, DateTime To, IReadOnlyList<RecommendationResponse> Recommendations);
