using Microsoft.Extensions.Options;
using TradingAspire.TraceAnalytics.Analytics;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.Query;

/// <summary>
/// The analyses behind the <c>/api</c> endpoints, usable without HTTP (alerts, a web page): runs the
/// store's queries (<see cref="ITraceAnalyticsStore"/>, <see cref="ITraceStore"/>) and hands the rows to the
/// pure analyzers (<see cref="CriticalPathAnalyzer"/>, <see cref="BottleneckAnalyzer"/>, <see cref="AnomalyScorer"/>,
/// <see cref="MannWhitneyUTest"/>, <see cref="RecommendationWriter"/>).
/// </summary>
public sealed class TraceAnalyticsService(ITraceStore traces, ITraceAnalyticsStore analytics, IOptions<TraceAnalyticsOptions> options)
{
    /// <summary>Every span of one trace, sorted by start time; null when none is stored.</summary>
    public async Task<TraceResponse?> GetTraceAsync(string normalizedTraceId, CancellationToken cancellationToken)
    {
        var spans = await traces.GetTraceAsync(normalizedTraceId, cancellationToken);
        return spans.Count == 0 ? null : new TraceResponse(normalizedTraceId, spans.Select(SpanResponse.From).ToArray());
    }

    /// <summary>The trace with the most spans carrying the order id, and the ids of the others; null when none carries it.</summary>
    public async Task<OrderTraceResponse?> GetOrderTraceAsync(string orderId, CancellationToken cancellationToken)
    {
        var traceIds = await traces.FindTraceIdsByOrderIdAsync(orderId, cancellationToken);
        if (traceIds.Count == 0)
        {
            return null;
        }

        var spans = await traces.GetTraceAsync(traceIds[0], cancellationToken);
        return spans.Count == 0 ? null : new OrderTraceResponse(traceIds[0], orderId, traceIds.Skip(1).ToArray(), spans.Select(SpanResponse.From).ToArray());
    }

    public const string SignificanceTestDescription =
        "Mann-Whitney U (two-sided, normal approximation with tie and continuity correction) on up to {0} durations per stage and window (a deterministic sample beyond)";

    public const string AnomalyMethodDescription =
        "modified z-score 0.6745·(x − median)/MAD per stage (and venue) over the window; mean absolute deviation when the MAD is 0";

    private readonly TraceAnalyticsOptions settings = options.Value;

    public TraceAnalyticsOptions Settings => settings;

    public async Task<SpanSearchResponse> SearchSpansAsync(SpanSearchCriteria criteria, CancellationToken cancellationToken = default)
    {
        var page = await analytics.SearchSpansAsync(criteria, cancellationToken).ConfigureAwait(false);
        return new SpanSearchResponse(
            criteria.From, criteria.To, page.Spans.Select(SpanHit.From).ToArray(), page.Next is null ? null : SpanCursorText.Encode(page.Next));
    }

    public async Task<PercentilesResponse> GetPercentilesAsync(LatencyQuery query, CancellationToken cancellationToken = default)
    {
        var groups = await analytics.GetLatencyAsync(query.Filter, query.GroupBy, cancellationToken).ConfigureAwait(false);
        return new PercentilesResponse(
            query.Filter.From, query.Filter.To, query.GroupBy.Select(DimensionName).ToArray(), query.Filter.Name,
            groups.Select(LatencyGroupResponse.From).ToArray());
    }

    /// <summary>Every bucket of the window, aligned to the bucket width; those without spans have a count of 0 and no percentiles.</summary>
    public async Task<TimeseriesResponse> GetTimeseriesAsync(TimeseriesQuery query, CancellationToken cancellationToken = default)
    {
        var filter = query.Filter;
        var buckets = (await analytics.GetLatencySeriesAsync(filter, query.Bucket, cancellationToken).ConfigureAwait(false)).ToDictionary(b => b.Start);
        var points = new List<TimeseriesPoint>();
        var widthTicks = query.Bucket.Ticks;
        var first = new DateTime(filter.From.Ticks / widthTicks * widthTicks, DateTimeKind.Utc);
        for (var start = first; start < filter.To; start = start.AddTicks(widthTicks))
        {
            points.Add(buckets.TryGetValue(start, out var b)
                ? new TimeseriesPoint(start, b.Count, b.Errors, b.P50Ms, b.P95Ms, b.P99Ms)
                : new TimeseriesPoint(start, 0, 0, null, null, null));
        }

        return new TimeseriesResponse(filter.From, filter.To, filter.Name, query.Bucket.TotalSeconds, points);
    }

    /// <summary>The trace as the Jaeger UI's JSON file; null when no span of it is stored.</summary>
    public async Task<JaegerDocument?> GetJaegerAsync(string traceId, CancellationToken cancellationToken = default)
    {
        var spans = await traces.GetTraceAsync(traceId, cancellationToken).ConfigureAwait(false);
        return spans.Count == 0 ? null : JaegerTraceConverter.Convert(traceId, spans);
    }

    public async Task<CriticalPathResponse?> GetCriticalPathAsync(string traceId, CancellationToken cancellationToken = default)
    {
        var spans = await traces.GetTraceAsync(traceId, cancellationToken).ConfigureAwait(false);
        if (spans.Count == 0)
        {
            return null;
        }

        var path = CriticalPathAnalyzer.Analyze(spans.Select(ToTraceSpan).ToArray());
        var duration = path.DurationNanos / 1e6;
        CriticalPathSpanResponse ToResponse(CriticalPathSpan s) => new(
            s.Span.SpanId, string.IsNullOrEmpty(s.Span.ParentSpanId) ? null : s.Span.ParentSpanId, s.Span.Name, s.Span.ServiceName, s.Stage,
            DuckDbTime.FromUnixNanos(s.Span.StartNanos), s.Span.DurationNanos / 1e6, s.OnPathNanos / 1e6, s.WaitNanos / 1e6, s.SelfTimeNanos / 1e6);

        return new CriticalPathResponse(
            traceId,
            DuckDbTime.FromUnixNanos(path.StartNanos),
            duration,
            path.Segments.Select(s => new CriticalPathSegmentResponse(
                s.SpanId, s.Name, s.ServiceName, s.Stage, s.Kind.ToString().ToLowerInvariant(),
                (s.StartNanos - path.StartNanos) / 1e6, s.DurationNanos / 1e6)).ToArray(),
            path.Spans.Select(ToResponse).ToArray(),
            path.LargestSelfTime is null ? null : ToResponse(path.LargestSelfTime),
            path.LargestStage is null ? null : new LargestStageResponse(path.LargestStage, path.LargestStageNanos / 1e6, duration > 0 ? path.LargestStageNanos / 1e6 / duration : 0));
    }

    public async Task<(BottleneckReport Report, IReadOnlyList<LatencyGroup> StageLatency)> AnalyzeBottlenecksAsync(
        TimeWindow window, CancellationToken cancellationToken = default)
    {
        var timelines = await analytics.GetTraceTimelinesAsync(window.From, window.To, settings.MaxTracesPerAnalysis, cancellationToken).ConfigureAwait(false);
        var latency = await analytics.GetLatencyAsync(new StageFilter(window.From, window.To), [LatencyDimension.Stage], cancellationToken).ConfigureAwait(false);
        return (BottleneckAnalyzer.Analyze(timelines), latency);
    }

    public async Task<BottlenecksResponse> GetBottlenecksAsync(TimeWindow window, CancellationToken cancellationToken = default)
    {
        var (report, latency) = await AnalyzeBottlenecksAsync(window, cancellationToken).ConfigureAwait(false);
        var byStage = latency.ToDictionary(l => l.Key.Stage ?? "", StringComparer.Ordinal);
        return new BottlenecksResponse(
            window.From, window.To, report.TraceCount,
            Finite(report.TraceP50Ms), Finite(report.TraceP95Ms), Finite(report.TraceP99Ms),
            report.Stages.Select(s => new StageBottleneckResponse(
                s.Stage, s.Share, s.TailShare, s.CriticalPathMs, s.Traces,
                byStage.TryGetValue(s.Stage, out var l) ? l.P95Ms : null,
                byStage.TryGetValue(s.Stage, out l) ? l.P99Ms : null)).ToArray(),
            report.ByVenue.Select(v => new VenueBottleneckResponse(v.Venue, v.Stage, v.Share, v.CriticalPathMs, v.Traces, v.VenueTraces)).ToArray());
    }

    public async Task<CompareResponse> CompareAsync(
        TimeWindow a, TimeWindow b, string? name, IReadOnlyList<LatencyDimension> groupBy, CancellationToken cancellationToken = default)
    {
        var comparisons = await CompareGroupsAsync(a, b, name, groupBy, cancellationToken).ConfigureAwait(false);
        return new CompareResponse(
            new WindowResponse(a.From, a.To), new WindowResponse(b.From, b.To),
            string.Format(System.Globalization.CultureInfo.InvariantCulture, SignificanceTestDescription, settings.CompareSamplesPerGroup),
            settings.SignificanceLevel,
            groupBy.Select(DimensionName).ToArray(),
            comparisons);
    }

    public async Task<IReadOnlyList<StageComparison>> CompareGroupsAsync(
        TimeWindow a, TimeWindow b, string? name, IReadOnlyList<LatencyDimension> groupBy, CancellationToken cancellationToken = default)
    {
        var filterA = new StageFilter(a.From, a.To, name);
        var filterB = new StageFilter(b.From, b.To, name);
        var latencyA = (await analytics.GetLatencyAsync(filterA, groupBy, cancellationToken).ConfigureAwait(false)).ToDictionary(g => g.Key);
        var latencyB = (await analytics.GetLatencyAsync(filterB, groupBy, cancellationToken).ConfigureAwait(false)).ToDictionary(g => g.Key);
        var samplesA = (await analytics.GetDurationSamplesAsync(filterA, groupBy, settings.CompareSamplesPerGroup, cancellationToken).ConfigureAwait(false))
            .ToLookup(s => s.Key, s => s.DurationMs);
        var samplesB = (await analytics.GetDurationSamplesAsync(filterB, groupBy, settings.CompareSamplesPerGroup, cancellationToken).ConfigureAwait(false))
            .ToLookup(s => s.Key, s => s.DurationMs);

        var keys = latencyA.Keys.Union(latencyB.Keys)
            .OrderBy(k => k.Stage is null ? int.MaxValue : IndexOfStage(k.Stage))
            .ThenBy(k => k.Stage, StringComparer.Ordinal)
            .ThenBy(k => k.Service, StringComparer.Ordinal)
            .ThenBy(k => k.Venue, StringComparer.Ordinal)
            .ThenBy(k => k.Symbol, StringComparer.Ordinal);
        var comparisons = new List<StageComparison>();
        foreach (var key in keys)
        {
            latencyA.TryGetValue(key, out var before);
            latencyB.TryGetValue(key, out var after);
            var setA = before is null ? null : new PercentileSet(before.Count, before.P50Ms, before.P95Ms, before.P99Ms);
            var setB = after is null ? null : new PercentileSet(after.Count, after.P50Ms, after.P95Ms, after.P99Ms);
            if (setA is null || setB is null)
            {
                comparisons.Add(new StageComparison(key.Stage, key.Service, key.Venue, key.Symbol, setA, setB, null, null, null, false, null,
                    setA is null ? "only in window B" : "only in window A"));
                continue;
            }

            var test = MannWhitneyUTest.Compare(samplesA[key].ToArray(), samplesB[key].ToArray());
            var significant = test.IsSignificant(settings.SignificanceLevel);
            var delta = new PercentileDelta(setB.P50Ms - setA.P50Ms, setB.P95Ms - setA.P95Ms, setB.P99Ms - setA.P99Ms);
            var percent = new PercentileDelta(Percent(setA.P50Ms, setB.P50Ms), Percent(setA.P95Ms, setB.P95Ms), Percent(setA.P99Ms, setB.P99Ms));
            comparisons.Add(new StageComparison(key.Stage, key.Service, key.Venue, key.Symbol, setA, setB, delta, percent,
                test.PValue, significant, test.ProbabilityBGreater, Hint(test, significant, percent)));
        }

        return comparisons;
    }

    public async Task<AnomaliesResponse> GetAnomaliesAsync(TimeWindow window, int limit, CancellationToken cancellationToken = default)
    {
        var anomalies = await FindAnomaliesAsync(window, limit * 20, cancellationToken).ConfigureAwait(false);
        var byTrace = anomalies
            .GroupBy(a => a.Observation.TraceId, StringComparer.Ordinal)
            .Select(g => new TraceAnomaly(
                g.Key,
                g.Select(a => a.Observation.OrderId).FirstOrDefault(o => o is not null),
                g.Min(a => a.Observation.StartTime),
                g.Max(a => a.Score),
                g.OrderByDescending(a => a.Score).Select(a => a.Reason).ToArray(),
                g.OrderByDescending(a => a.Score).Select(a => new AnomalousSpan(
                    a.Observation.SpanId, a.Observation.Stage, a.Observation.ServiceName, a.Observation.Venue, a.Observation.StartTime,
                    a.Observation.DurationMs, a.Baseline.MedianMs, a.Baseline.MadMs, a.Score, a.MadsAboveMedian, a.Reason)).ToArray()))
            .OrderByDescending(t => t.MaxScore)
            .ThenBy(t => t.TraceId, StringComparer.Ordinal)
            .Take(limit)
            .ToArray();
        return new AnomaliesResponse(window.From, window.To, settings.AnomalyThreshold, AnomalyMethodDescription, byTrace);
    }

    public async Task<IReadOnlyList<StageAnomaly>> FindAnomaliesAsync(TimeWindow window, int maxSpans, CancellationToken cancellationToken = default)
    {
        var scorer = new AnomalyScorer(settings.AnomalyThreshold, settings.AnomalyMinSamples);
        var candidates = await analytics.FindStageOutliersAsync(
            new StageFilter(window.From, window.To), settings.AnomalyThreshold, settings.AnomalyMinSamples, maxSpans, cancellationToken,
            settings.AnomalyMinExcessMs).ConfigureAwait(false);
        var windowText = DurationText.WindowAdjective(window.Length);
        return candidates.Select(c => scorer.Score(c.Observation, c.Baseline, windowText)).OfType<StageAnomaly>().ToArray();
    }

    public async Task<RecommendationsResponse> GetRecommendationsAsync(TimeWindow window, CancellationToken cancellationToken = default)
    {
        var (report, latency) = await AnalyzeBottlenecksAsync(window, cancellationToken).ConfigureAwait(false);
        var previous = window.Previous();
        var byStage = await CompareGroupsAsync(previous, window, null, [LatencyDimension.Stage], cancellationToken).ConfigureAwait(false);
        var byVenue = await CompareGroupsAsync(previous, window, null, [LatencyDimension.Stage, LatencyDimension.Venue], cancellationToken).ConfigureAwait(false);
        var changes = byStage.Where(c => c.Venue is null).Concat(byVenue.Where(c => c.Venue is not null))
            .Where(c => c is { A: not null, B: not null, Stage: not null })
            .Select(c => new StageChange(c.Stage!, c.Venue, c.A!.Count, c.B!.Count, c.A.P99Ms, c.B.P99Ms, c.PValue ?? 1, c.Significant))
            .ToArray();
        var anomalies = await FindAnomaliesAsync(window, 500, cancellationToken).ConfigureAwait(false);
        var errors = latency.Where(l => l.Key.Stage is not null).Select(l => new StageErrors(l.Key.Stage!, l.Count, l.Errors)).ToArray();

        var recommendations = new RecommendationWriter().Write(new RecommendationInput(window.Length, report, changes, anomalies, errors));
        return new RecommendationsResponse(window.From, window.To,
            recommendations.Select(r => new RecommendationResponse(r.Severity, r.Stage, r.Venue, r.Message)).ToArray());
    }

    public static TraceSpan ToTraceSpan(SpanRecord span)
    {
        var start = DuckDbTime.ToUnixNanos(span.Timestamp);
        return new TraceSpan(span.SpanId, span.ParentSpanId, span.SpanName, span.ServiceName, start, start + span.DurationNanos, span.StatusCode, span.Venue);
    }

    public static string DimensionName(LatencyDimension dimension) => dimension.ToString().ToLowerInvariant();

    private static int IndexOfStage(string stage)
    {
        var index = PipelineStages.All.ToList().IndexOf(stage);
        return index < 0 ? int.MaxValue - 1 : index;
    }

    private static double Percent(double before, double after) => before > 0 ? (after - before) / before * 100 : 0;

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static string Hint(RankTestResult test, bool significant, PercentileDelta percent)
    {
        if (!significant)
        {
            return $"no significant change (p = {test.PValue:0.###})";
        }

        var direction = test.Z > 0 ? "slower" : "faster";
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"B is significantly {direction} (p = {(test.PValue < 0.001 ? "< 0.001" : test.PValue.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture))}; a B span is slower than an A span {test.ProbabilityBGreater:P0} of the time; p99 {percent.P99:+0;-0}%)");
    }
}
