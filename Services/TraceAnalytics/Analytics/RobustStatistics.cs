namespace TradingAspire.TraceAnalytics.Analytics;

/// <summary>
/// Median-based statistics that a few huge outliers cannot drag (Iglewicz and Hoaglin, 1993).
/// The modified z-score is 0.6745·(x − median)/MAD; when the MAD is 0 (more than half the values equal)
/// it falls back to (x − median)/(1.253314·mean absolute deviation around the median).
/// </summary>
public static class RobustStatistics
{
    /// <summary>Φ⁻¹(0.75): makes the MAD estimate the standard deviation of normal data.</summary>
    public const double MadConsistency = 0.6745;

    /// <summary>√(π/2): the same for the mean absolute deviation.</summary>
    public const double MeanAbsoluteDeviationConsistency = 1.253314;

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return Quantiles.Continuous(sorted, 0.5);
    }

    /// <summary>Median absolute deviation around the median (unscaled).</summary>
    public static double MedianAbsoluteDeviation(IReadOnlyCollection<double> values, double median) =>
        Median(values.Select(v => Math.Abs(v - median)));

    public static double MeanAbsoluteDeviation(IReadOnlyCollection<double> values, double median) =>
        values.Count == 0 ? double.NaN : values.Average(v => Math.Abs(v - median));

    /// <summary>The modified z-score of <paramref name="value"/>; 0 when the sample has no spread at all.</summary>
    public static double ModifiedZScore(double value, double median, double mad, double meanAbsoluteDeviation)
    {
        if (mad > 0)
        {
            return MadConsistency * (value - median) / mad;
        }

        if (meanAbsoluteDeviation > 0)
        {
            return (value - median) / (MeanAbsoluteDeviationConsistency * meanAbsoluteDeviation);
        }

        return 0;
    }
}

/// <summary>A group's recent distribution: one stage, at one venue when the span names a venue.</summary>
public sealed record StageBaseline(string Stage, string? Venue, long Count, double MedianMs, double MadMs, double MeanAbsoluteDeviationMs);

/// <summary>A stage span to judge against its baseline.</summary>
public sealed record StageObservation(
    string TraceId, string SpanId, string Stage, string ServiceName, string? Venue, string? OrderId, DateTime StartTime, double DurationMs);

/// <summary>A stage span far outside its baseline, with why in words.</summary>
public sealed record StageAnomaly(StageObservation Observation, StageBaseline Baseline, double Score, double? MadsAboveMedian, string Reason);

/// <summary>
/// Flags stage durations whose modified z-score exceeds a threshold (3.5 by default, Iglewicz and
/// Hoaglin's recommendation). Only slow outliers are flagged: an unusually fast stage is no problem.
/// </summary>
public sealed class AnomalyScorer(double threshold = AnomalyScorer.DefaultThreshold, int minimumSamples = AnomalyScorer.DefaultMinimumSamples)
{
    public const double DefaultThreshold = 3.5;
    public const int DefaultMinimumSamples = 20;

    public double Threshold { get; } = threshold;
    public int MinimumSamples { get; } = minimumSamples;

    /// <summary>The baseline of a sample of durations (ms).</summary>
    public static StageBaseline Baseline(string stage, string? venue, IReadOnlyCollection<double> durationsMs)
    {
        var median = RobustStatistics.Median(durationsMs);
        return new StageBaseline(
            stage, venue, durationsMs.Count, median,
            RobustStatistics.MedianAbsoluteDeviation(durationsMs, median),
            RobustStatistics.MeanAbsoluteDeviation(durationsMs, median));
    }

    /// <summary>The anomaly <paramref name="observation"/> is against <paramref name="baseline"/>, or null when it is not one.</summary>
    public StageAnomaly? Score(StageObservation observation, StageBaseline baseline, string windowText)
    {
        if (baseline.Count < MinimumSamples)
        {
            return null;
        }

        var score = RobustStatistics.ModifiedZScore(observation.DurationMs, baseline.MedianMs, baseline.MadMs, baseline.MeanAbsoluteDeviationMs);
        if (score <= Threshold)
        {
            return null;
        }

        var where = observation.Venue is null ? "" : $" at {observation.Venue}";
        double? mads = baseline.MadMs > 0 ? (observation.DurationMs - baseline.MedianMs) / baseline.MadMs : null;
        var reason = baseline.MadMs > 0
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{observation.Stage} {DurationText.Ms(observation.DurationMs)} is {mads:0.0} MADs above the {windowText} median {DurationText.Ms(baseline.MedianMs)}{where} (modified z-score {score:0.0} > {Threshold:0.0})")
            : string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{observation.Stage} {DurationText.Ms(observation.DurationMs)} is far above the {windowText} median {DurationText.Ms(baseline.MedianMs)}{where}, which most samples equal (modified z-score by mean absolute deviation {score:0.0} > {Threshold:0.0})");
        return new StageAnomaly(observation, baseline, score, mads, reason);
    }

    /// <summary>Scores every observation against the baseline of its stage and venue, computed from the observations themselves.</summary>
    public IReadOnlyList<StageAnomaly> ScoreAll(IReadOnlyCollection<StageObservation> observations, string windowText)
    {
        var anomalies = new List<StageAnomaly>();
        foreach (var group in observations.GroupBy(o => (o.Stage, o.Venue)))
        {
            var baseline = Baseline(group.Key.Stage, group.Key.Venue, group.Select(o => o.DurationMs).ToArray());
            anomalies.AddRange(group.Select(o => Score(o, baseline, windowText)).OfType<StageAnomaly>());
        }

        return anomalies.OrderByDescending(a => a.Score).ToArray();
    }
}
