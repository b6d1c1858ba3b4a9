namespace TradingAspire.TraceAnalytics.Query;

/// <summary>Configuration section <c>TraceAnalytics:Analysis</c>: the knobs of the analysis endpoints.</summary>
public sealed class TraceAnalyticsOptions
{
    public const string Section = "TraceAnalytics:Analysis";

    /// <summary>Modified z-score above which a stage duration is an anomaly (Iglewicz and Hoaglin recommend 3.5).</summary>
    public double AnomalyThreshold { get; set; } = 3.5;

    /// <summary>
    /// Practical significance: besides its modified z-score, an anomalous span must be at least this
    /// far (ms) above its stage's median — 0.02 ms stages with 5 ms JIT warm-ups are not news.
    /// </summary>
    public double AnomalyMinExcessMs { get; set; } = 5;

    /// <summary>Fewest spans a stage (and venue) needs in the window before its outliers are judged.</summary>
    public int AnomalyMinSamples { get; set; } = 20;

    /// <summary>Most traces whose critical paths one bottleneck or recommendation request computes (a sample beyond).</summary>
    public int MaxTracesPerAnalysis { get; set; } = 5000;

    /// <summary>Durations per stage and window the significance test compares (a sample beyond).</summary>
    public int CompareSamplesPerGroup { get; set; } = 2000;

    /// <summary>p-value below which a change is called significant.</summary>
    public double SignificanceLevel { get; set; } = 0.05;
}
