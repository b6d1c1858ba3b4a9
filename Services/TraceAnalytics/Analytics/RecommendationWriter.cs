using System.Globalization;

namespace TradingAspire.TraceAnalytics.Analytics;

/// <summary>How a stage's p99 moved between the previous window and this one (venue null: all venues).</summary>
public sealed record StageChange(string Stage, string? Venue, long CountBefore, long CountAfter, double P99BeforeMs, double P99AfterMs, double PValue, bool Significant)
{
    public double P99ChangeRatio => P99BeforeMs > 0 ? P99AfterMs / P99BeforeMs - 1 : 0;
}

/// <summary>How often a stage failed in the window.</summary>
public sealed record StageErrors(string Stage, long Count, long Errors)
{
    public double Rate => Count == 0 ? 0 : (double)Errors / Count;
}

/// <summary>A hint for a person: what stands out, the figures behind it, and what to try.</summary>
public sealed record Recommendation(string Severity, string Stage, string? Venue, string Message);

/// <summary>What recommendations are made from: the window's bottlenecks, its changes against the previous window, its anomalies and error rates.</summary>
public sealed record RecommendationInput(
    TimeSpan Window,
    BottleneckReport Bottlenecks,
    IReadOnlyList<StageChange> Changes,
    IReadOnlyList<StageAnomaly> Anomalies,
    IReadOnlyList<StageErrors> Errors);

/// <summary>
/// Turns bottlenecks, regressions, anomalies and error rates into plain-language hints, most urgent first:
/// a stage that dominates the latency of one venue's orders (with its p99 change), a stage that dominates
/// overall, p99 regressions the Mann-Whitney test calls significant, clusters of outliers, and error rates.
/// </summary>
public sealed class RecommendationWriter
{
    public double DominantShare { get; init; } = 0.4;
    public double NotableShare { get; init; } = 0.25;
    public double RegressionRatio { get; init; } = 0.2;
    public double ErrorRate { get; init; } = 0.05;
    public int MinimumTraces { get; init; } = 10;
    public int MinimumAnomalies { get; init; } = 3;

    private static readonly string[] SeverityOrder = ["high", "medium", "low", "info"];

    public IReadOnlyList<Recommendation> Write(RecommendationInput input)
    {
        var window = DurationText.WindowAdjective(input.Window);
        var recommendations = new List<Recommendation>();
        var mentioned = new HashSet<(string Stage, string? Venue)>();

        foreach (var share in input.Bottlenecks.ByVenue.Where(s => s.Share >= DominantShare && s.VenueTraces >= MinimumTraces).Take(3))
        {
            var change = input.Changes.FirstOrDefault(c => c.Stage == share.Stage && c.Venue == share.Venue);
            var rose = change is not null && change.Significant && change.P99ChangeRatio >= RegressionRatio;
            var message = Text($"{share.Stage} at venue {share.Venue} is {DurationText.Percent(share.Share)} of the end-to-end latency of the orders routed there ({share.VenueTraces} orders in the last {window} window)")
                + (change is null ? "" : ChangeClause(change, window))
                + "; " + Advice(share.Stage, share.Venue) + ".";
            recommendations.Add(new Recommendation(rose ? "high" : "medium", share.Stage, share.Venue, message));
            mentioned.Add((share.Stage, share.Venue));
        }

        foreach (var share in input.Bottlenecks.Stages.Where(s => s.Share >= NotableShare && input.Bottlenecks.TraceCount >= MinimumTraces).Take(2))
        {
            var change = input.Changes.FirstOrDefault(c => c.Stage == share.Stage && c.Venue is null);
            var message = Text($"{share.Stage} is {DurationText.Percent(share.Share)} of end-to-end latency over the last {window} window ({DurationText.Percent(share.TailShare)} for the slowest 5% of orders, p99 {DurationText.Ms(input.Bottlenecks.TraceP99Ms)} end to end)")
                + (change is null ? "" : ChangeClause(change, window))
                + "; " + Advice(share.Stage, null) + ".";
            recommendations.Add(new Recommendation(share.Share >= DominantShare ? "medium" : "low", share.Stage, null, message));
            mentioned.Add((share.Stage, null));
        }

        foreach (var change in input.Changes
                     .Where(c => c.Significant && c.P99ChangeRatio >= RegressionRatio && !mentioned.Contains((c.Stage, c.Venue)))
                     .OrderByDescending(c => c.P99AfterMs - c.P99BeforeMs)
                     .Take(3))
        {
            var where = change.Venue is null ? "" : $" at {change.Venue}";
            recommendations.Add(new Recommendation(change.P99ChangeRatio >= 1 ? "high" : "medium", change.Stage, change.Venue,
                Text($"p99 of {change.Stage}{where} rose from {DurationText.Ms(change.P99BeforeMs)} to {DurationText.Ms(change.P99AfterMs)} ({Signed(change.P99ChangeRatio)}) since the previous {window} window (Mann-Whitney p = {PValue(change.PValue)}); ")
                + Advice(change.Stage, change.Venue) + "."));
        }

        foreach (var cluster in input.Anomalies
                     .GroupBy(a => (a.Observation.Stage, a.Observation.Venue))
                     .Where(g => g.Count() >= MinimumAnomalies)
                     .OrderByDescending(g => g.Count())
                     .Take(3))
        {
            var worst = cluster.MaxBy(a => a.Observation.DurationMs)!;
            var where = cluster.Key.Venue is null ? "" : $" at {cluster.Key.Venue}";
            recommendations.Add(new Recommendation("medium", cluster.Key.Stage, cluster.Key.Venue,
                Text($"{cluster.Count()} {cluster.Key.Stage} spans{where} were outliers in the last {window} window (worst {DurationText.Ms(worst.Observation.DurationMs)} against a median of {DurationText.Ms(worst.Baseline.MedianMs)}, trace {worst.Observation.TraceId}); ")
                + OutlierAdvice(cluster.Key.Stage, cluster.Key.Venue) + "."));
        }

        foreach (var errors in input.Errors.Where(e => e.Count >= MinimumTraces && e.Rate >= ErrorRate).OrderByDescending(e => e.Rate).Take(3))
        {
            recommendations.Add(new Recommendation(errors.Rate >= 0.2 ? "high" : "medium", errors.Stage, null,
                Text($"{errors.Stage} failed in {DurationText.Percent(errors.Rate)} of {errors.Count} spans in the last {window} window; look at its error.type values with /api/spans/search?name={Uri.EscapeDataString(errors.Stage)}&status=error.")));
        }

        if (recommendations.Count == 0)
        {
            var top = input.Bottlenecks.Stages.FirstOrDefault();
            recommendations.Add(new Recommendation("info", top?.Stage ?? "", null, input.Bottlenecks.TraceCount == 0
                ? Text($"No complete order traces in the last {window} window: nothing to recommend.")
                : Text($"Nothing stands out in the last {window} window ({input.Bottlenecks.TraceCount} orders, p99 {DurationText.Ms(input.Bottlenecks.TraceP99Ms)} end to end); the largest stage is {top!.Stage} at {DurationText.Percent(top.Share)}.")));
        }

        return recommendations
            .OrderBy(r => Array.IndexOf(SeverityOrder, r.Severity))
            .ToArray();
    }

    private static string ChangeClause(StageChange change, string window)
    {
        if (change.CountBefore == 0)
        {
            return "";
        }

        var verb = change.P99ChangeRatio >= 0 ? "rose" : "fell";
        var significance = change.Significant ? $"significant, Mann-Whitney p = {PValue(change.PValue)}" : "not significant";
        return Text($"; its p99 {verb} {DurationText.Percent(Math.Abs(change.P99ChangeRatio))} since the previous {window} window ({DurationText.Ms(change.P99BeforeMs)} → {DurationText.Ms(change.P99AfterMs)}, {significance})");
    }

    private static string Advice(string stage, string? venue) => stage switch
    {
        "venue.match" or "order.execute" when venue is not null => $"consider lowering {venue}'s routing weight or a tighter venue timeout",
        "venue.match" or "order.execute" => "consider routing weights per venue or a tighter venue timeout",
        "order.route" => "check the quote board lookups and the number of route candidates",
        "risk.check" or "risk.release" => "check Redis latency for the risk limits and positions",
        "order.confirm" or "order.notify" => "check the notification store and the SSE push",
        _ when stage.StartsWith(CriticalPathAnalyzer.WaitStagePrefix, StringComparison.Ordinal) =>
            $"messages wait in the stream before they are processed: add consumers or look at the stream lag ({stage[CriticalPathAnalyzer.WaitStagePrefix.Length..]})",
        _ when stage.StartsWith("process ", StringComparison.Ordinal) || stage.StartsWith("send ", StringComparison.Ordinal) =>
            "check Redis latency and the consumer group's pending entries",
        _ => "profile this stage",
    };

    private static string OutlierAdvice(string stage, string? venue) => venue is not null
        ? $"check {venue}'s health and consider a timeout or hedged retry to another venue"
        : $"open the listed traces to see what the slow {stage} spans have in common";

    private static string Signed(double ratio) => (ratio >= 0 ? "+" : "−") + DurationText.Percent(Math.Abs(ratio));

    private static string PValue(double p) => p < 0.001 ? "< 0.001" : p.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
