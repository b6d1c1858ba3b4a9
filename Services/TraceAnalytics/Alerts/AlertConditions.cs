using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.Alerts;

/// <summary>A rule's condition as measured now, for one group.</summary>
public sealed record AlertMeasurement(string Group, double ValueMs, long Samples, bool Breached);

/// <summary>Turns latency statistics into per-group measurements for a rule. Pure: unit-tested.</summary>
public static class AlertConditions
{
    public static LatencyDimension? Dimension(AlertRule rule) => rule.GroupBy?.ToLowerInvariant() switch
    {
        "venue" => LatencyDimension.Venue,
        "service" => LatencyDimension.Service,
        "symbol" => LatencyDimension.Symbol,
        null or "" => null,
        var other => throw new InvalidOperationException($"Alert rule {rule.Name}: unknown GroupBy '{other}'."),
    };

    public static string GroupOf(LatencyKey key, LatencyDimension? dimension) => dimension switch
    {
        LatencyDimension.Venue => key.Venue ?? "unknown",
        LatencyDimension.Service => key.Service ?? "unknown",
        LatencyDimension.Symbol => key.Symbol ?? "unknown",
        _ => "all",
    };

    public static IReadOnlyList<AlertMeasurement> FromPercentiles(AlertRule rule, IEnumerable<LatencyGroup> groups)
    {
        var dimension = Dimension(rule);
        return groups
            .Select(g =>
            {
                var value = rule.Percentile switch
                {
                    <= 50 => g.P50Ms,
                    <= 95 => g.P95Ms,
                    _ => g.P99Ms,
                };
                return new AlertMeasurement(GroupOf(g.Key, dimension), value, g.Count,
                    g.Count >= Math.Max(1, rule.MinSamples) && value > rule.ThresholdMs);
            })
            .ToList();
    }

    /// <summary>For trace rules: the slowest offending span per group (only groups that breached).</summary>
    public static IReadOnlyList<AlertMeasurement> FromSlowSpans(AlertRule rule, IEnumerable<(string Group, double DurationMs)> slowSpans) =>
        slowSpans
            .GroupBy(s => s.Group)
            .Select(g => new AlertMeasurement(g.Key, g.Max(s => s.DurationMs), g.Count(), g.Max(s => s.DurationMs) > rule.ThresholdMs))
            .Where(m => m.Breached)
            .ToList();
}
