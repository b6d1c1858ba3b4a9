namespace TradingAspire.TraceAnalytics.Alerts;

/// <summary>Latency alert rules (section <c>TraceAnalytics:Alerts</c>).</summary>
public sealed class AlertOptions
{
    public const string Section = "TraceAnalytics:Alerts";

    public bool Enabled { get; set; } = true;

    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(10);

    public List<AlertRule> Rules { get; set; } = [];
}

/// <summary>
/// One rule. <see cref="Kind"/> <c>percentile</c>: the stage's p<see cref="Percentile"/> over
/// <see cref="Window"/> (per <see cref="GroupBy"/> value, with at least <see cref="MinSamples"/>
/// spans) above <see cref="ThresholdMs"/> fires. <c>trace</c>: any single span of the stage over the
/// threshold within the window fires. It resolves when the condition no longer holds.
/// </summary>
public sealed class AlertRule
{
    public string Name { get; set; } = "";
    public string Stage { get; set; } = "";
    public string Kind { get; set; } = "percentile";
    public double Percentile { get; set; } = 95;
    public double ThresholdMs { get; set; }
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
    public int MinSamples { get; set; } = 5;

    /// <summary><c>venue</c>, <c>service</c>, <c>symbol</c> or empty (the whole stage).</summary>
    public string? GroupBy { get; set; }

    public bool IsTraceRule => string.Equals(Kind, "trace", StringComparison.OrdinalIgnoreCase);

    public string Measure => IsTraceRule ? "max" : $"p{Percentile:0}";
}
