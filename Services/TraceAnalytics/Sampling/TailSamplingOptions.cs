namespace TradingAspire.TraceAnalytics.Sampling;

/// <summary>
/// Tail sampling in the store (section <c>TraceAnalytics:TailSampling</c>). Off by default: then every exported
/// span is stored and an export is answered once appended. On: spans wait in <see cref="TraceBuffer"/> until
/// their trace is complete, then <see cref="TraceKeepPolicy"/> keeps every trace with an error, a rejection,
/// an alert-rule breach, a stage anomaly or a slow end-to-end latency, and <see cref="KeepShare"/> of the rest.
/// </summary>
public sealed class TailSamplingOptions
{
    public const string Section = "TraceAnalytics:TailSampling";

    public bool Enabled { get; set; }

    /// <summary>Share (0..1) of the ordinary traces kept, chosen by a hash of the trace id; each stands for 1/KeepShare traces.</summary>
    public double KeepShare { get; set; } = 0.1;

    /// <summary>
    /// A trace whose root span has arrived is complete once no span of it arrived for this long. Must exceed the
    /// services' export batching (<c>OTEL_BSP_SCHEDULE_DELAY</c>, 1 s under Aspire) plus the pipeline's own latency,
    /// or a trace could be decided before the span that would have kept it arrives (late spans follow the decision).
    /// </summary>
    public double QuietSeconds { get; set; } = 3;

    /// <summary>A trace is decided at the latest this long after its first span arrived, complete or not.</summary>
    public double DecisionWaitSeconds { get; set; } = 15;

    /// <summary>How long a decision is remembered, so late spans of a decided trace follow it.</summary>
    public double DecisionMemorySeconds { get; set; } = 30;

    /// <summary>A trace whose end-to-end latency is above this running percentile of its root span name's is kept (slow).</summary>
    public double SlowPercentile { get; set; } = 99;

    /// <summary>A trace with a pipeline stage span above this running percentile of that stage's is kept (anomaly).</summary>
    public double StageAnomalyPercentile { get; set; } = 99.9;

    /// <summary>Until a root span name has this many traces, its traces are kept (warmup): too few to tell slow from normal.</summary>
    public int WarmupTraces { get; set; } = 100;

    /// <summary>
    /// Undecided traces held at most; beyond it exports are refused with 503 (retry later), never dropped. The buffer
    /// holds about (orders/s) × <see cref="QuietSeconds"/> traces; its memory grows with their spans.
    /// </summary>
    public int MaxBufferedTraces { get; set; } = 50_000;

    public TimeSpan Quiet => TimeSpan.FromSeconds(Math.Max(0, QuietSeconds));

    public TimeSpan DecisionWait => TimeSpan.FromSeconds(Math.Max(0.1, DecisionWaitSeconds));

    public TimeSpan DecisionMemory => TimeSpan.FromSeconds(Math.Max(1, DecisionMemorySeconds));

    public double ClampedKeepShare => double.IsNaN(KeepShare) ? 1 : Math.Clamp(KeepShare, 0, 1);
}
