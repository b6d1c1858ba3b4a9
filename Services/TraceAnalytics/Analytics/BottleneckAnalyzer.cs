namespace TradingAspire.TraceAnalytics.Analytics;

/// <summary>One trace's spans and the venue its order went to (from whichever span carries <c>trading.venue</c>).</summary>
public sealed record TraceTimeline(string TraceId, string? Venue, IReadOnlyList<TraceSpan> Spans);

/// <summary>A stage's part in end-to-end latency.</summary>
/// <param name="CriticalPathMs">Summed time the critical paths spent in the stage.</param>
/// <param name="Share">That sum over the summed trace durations.</param>
/// <param name="TailShare">The same over the slowest traces only (duration at or above the window's trace p95).</param>
/// <param name="Traces">Traces whose critical path went through the stage.</param>
public sealed record StageShare(string Stage, double CriticalPathMs, double Share, double TailShare, int Traces);

/// <summary>A stage's share of the latency of the orders that went to one venue.</summary>
public sealed record VenueStageShare(string Venue, string Stage, double CriticalPathMs, double Share, int Traces, int VenueTraces);

public sealed record BottleneckReport(
    int TraceCount,
    double TotalTraceMs,
    double TraceP50Ms,
    double TraceP95Ms,
    double TraceP99Ms,
    IReadOnlyList<StageShare> Stages,
    IReadOnlyList<VenueStageShare> ByVenue)
{
    public static readonly BottleneckReport Empty = new(0, 0, double.NaN, double.NaN, double.NaN, [], []);
}

/// <summary>
/// Ranks stages by their share of end-to-end latency: each trace's critical path is split into stages
/// (a span's time counts toward its stage, the wait after a producer toward "wait after send …"), summed
/// over the traces and divided by the summed trace durations. The shares add up to 1.
/// </summary>
public static class BottleneckAnalyzer
{
    public static BottleneckReport Analyze(IEnumerable<TraceTimeline> traces, Func<string, bool>? isStage = null)
    {
        var perTrace = new List<(double DurationMs, string? Venue, Dictionary<string, double> ByStage)>();
        foreach (var trace in traces)
        {
            var (start, end, segments) = CriticalPathAnalyzer.Segments(trace.Spans, isStage);
            if (end - start <= 0)
            {
                continue;
            }

            var byStage = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var segment in segments)
            {
                byStage[segment.Stage] = byStage.GetValueOrDefault(segment.Stage) + segment.DurationNanos / 1e6;
            }

            perTrace.Add(((end - start) / 1e6, trace.Venue, byStage));
        }

        if (perTrace.Count == 0)
        {
            return BottleneckReport.Empty;
        }

        var durations = perTrace.Select(t => t.DurationMs).Order().ToArray();
        var p95 = Quantiles.Continuous(durations, 0.95);
        var total = durations.Sum();
        var tail = perTrace.Where(t => t.DurationMs >= p95).ToArray();
        var tailTotal = tail.Sum(t => t.DurationMs);

        var stages = perTrace.SelectMany(t => t.ByStage)
            .GroupBy(p => p.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var sum = g.Sum(p => p.Value);
                var tailSum = tail.Sum(t => t.ByStage.GetValueOrDefault(g.Key));
                return new StageShare(g.Key, sum, sum / total, tailTotal > 0 ? tailSum / tailTotal : 0, g.Count());
            })
            .OrderByDescending(s => s.Share).ThenBy(s => s.Stage, StringComparer.Ordinal)
            .ToArray();

        var byVenue = perTrace.Where(t => t.Venue is not null)
            .GroupBy(t => t.Venue!, StringComparer.Ordinal)
            .SelectMany(venue =>
            {
                var venueTotal = venue.Sum(t => t.DurationMs);
                var venueTraces = venue.Count();
                return venue.SelectMany(t => t.ByStage)
                    .GroupBy(p => p.Key, StringComparer.Ordinal)
                    .Select(g => new VenueStageShare(venue.Key, g.Key, g.Sum(p => p.Value), g.Sum(p => p.Value) / venueTotal, g.Count(), venueTraces));
            })
            .OrderByDescending(s => s.Share).ThenBy(s => s.Venue, StringComparer.Ordinal).ThenBy(s => s.Stage, StringComparer.Ordinal)
            .ToArray();

        return new BottleneckReport(
            perTrace.Count, total,
            Quantiles.Continuous(durations, 0.5), p95, Quantiles.Continuous(durations, 0.99),
            stages, byVenue);
    }
}
