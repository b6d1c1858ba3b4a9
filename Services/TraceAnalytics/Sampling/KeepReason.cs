namespace TradingAspire.TraceAnalytics.Sampling;

/// <summary>Why tail sampling kept a trace, or <see cref="SampledOut"/> when it dropped it.</summary>
public enum KeepReason
{
    /// <summary>An ordinary trace outside the kept share: dropped (counted).</summary>
    SampledOut,

    /// <summary>A span has status Error.</summary>
    Error,

    /// <summary>Risk rejected the order (<c>trading.risk.decision</c> rejected, or a <c>send/process orders.rejected</c> span).</summary>
    Rejected,

    /// <summary>A span of an alert rule's stage is above the rule's threshold.</summary>
    Alert,

    /// <summary>The end-to-end latency is above the running <see cref="TailSamplingOptions.SlowPercentile"/>.</summary>
    Slow,

    /// <summary>A pipeline stage span is above the running <see cref="TailSamplingOptions.StageAnomalyPercentile"/> of its stage.</summary>
    Anomaly,

    /// <summary>A market-data feed's connection session (root <c>marketdata.session</c>, or a <c>marketdata.connect</c>/<c>marketdata.gap</c> span): the feed-health view links to every one.</summary>
    FeedSession,

    /// <summary>Too few traces of this kind seen yet to tell slow from normal.</summary>
    Warmup,

    /// <summary>An ordinary trace inside the kept share: stored with weight 1/KeepShare.</summary>
    Sampled,
}

public static class KeepReasons
{
    /// <summary>The metric tag / API name of a reason (<c>sampled_out</c> for the dropped).</summary>
    public static string Name(this KeepReason reason) => reason switch
    {
        KeepReason.SampledOut => "sampled_out",
        KeepReason.Error => "error",
        KeepReason.Rejected => "rejected",
        KeepReason.Alert => "alert",
        KeepReason.Slow => "slow",
        KeepReason.Anomaly => "anomaly",
        KeepReason.FeedSession => "feed_session",
        KeepReason.Warmup => "warmup",
        KeepReason.Sampled => "sampled",
        _ => "unknown",
    };

    /// <summary>True for every reason to keep the whole trace whatever the share (everything but sampled and sampled out).</summary>
    public static bool IsAlwaysKept(this KeepReason reason) => reason is not (KeepReason.SampledOut or KeepReason.Sampled);
}
