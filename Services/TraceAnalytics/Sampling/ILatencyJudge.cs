namespace TradingAspire.TraceAnalytics.Sampling;

/// <summary>What a running latency estimate says of one duration.</summary>
public enum LatencyVerdict
{
    /// <summary>At or below the percentile.</summary>
    Normal,

    /// <summary>Above the percentile.</summary>
    Slow,

    /// <summary>Too few durations of this name seen yet to tell.</summary>
    Unknown,
}

/// <summary>Judges durations against running percentiles per span name (<see cref="LatencyThresholds"/>; tests use a table).</summary>
public interface ILatencyJudge
{
    /// <summary>An end-to-end trace latency against the running slow percentile of traces with this root span name.</summary>
    LatencyVerdict EndToEnd(string rootName, long durationNanos);

    /// <summary>A pipeline stage span against the running anomaly percentile of its stage.</summary>
    LatencyVerdict Stage(string stageName, long durationNanos);
}
