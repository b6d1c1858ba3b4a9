using HdrHistogram;

namespace TradingAspire.TraceAnalytics.Sampling;

/// <summary>
/// Running percentiles per name over a sliding window (the last <see cref="WindowSize"/> to 2×<see cref="WindowSize"/>
/// durations, in two HdrHistograms of µs at two significant digits), for end-to-end latencies by root span name and
/// for stage spans by stage. The threshold is recomputed every <see cref="RecomputeEvery"/> durations, so judging is
/// a dictionary lookup and a compare. Used by the sampler's single decider thread only: not thread-safe.
/// </summary>
public sealed class LatencyThresholds(double slowPercentile, double stageAnomalyPercentile, int warmupTraces) : ILatencyJudge
{
    public const int WindowSize = 10_000;
    public const int RecomputeEvery = 100;
    public const int MaxNames = 1_000;
    private const long MaxMicros = 3_600_000_000L;

    private readonly Dictionary<string, Window> endToEnd = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Window> stages = new(StringComparer.Ordinal);
    private readonly LongHistogram scratch = new(MaxMicros, 2);

    public LatencyVerdict EndToEnd(string rootName, long durationNanos) =>
        Judge(endToEnd, rootName, durationNanos, Math.Max(1, warmupTraces));

    public LatencyVerdict Stage(string stageName, long durationNanos) =>
        Judge(stages, stageName, durationNanos, Math.Max(RecomputeEvery, (int)Math.Ceiling(100 / Math.Max(0.001, 100 - stageAnomalyPercentile))));

    public void RecordEndToEnd(string rootName, long durationNanos) => Record(endToEnd, rootName, durationNanos, slowPercentile);

    public void RecordStage(string stageName, long durationNanos) => Record(stages, stageName, durationNanos, stageAnomalyPercentile);

    private static LatencyVerdict Judge(Dictionary<string, Window> windows, string name, long durationNanos, int minimum)
    {
        if (!windows.TryGetValue(name, out var window))
        {
            // Past the name limit a new name never gets a window: call it normal, or every such trace would be kept as unknown.
            return windows.Count >= MaxNames ? LatencyVerdict.Normal : LatencyVerdict.Unknown;
        }

        if (window.Seen < minimum || window.ThresholdMicros is not { } threshold)
        {
            return LatencyVerdict.Unknown;
        }

        return durationNanos / 1000 > threshold ? LatencyVerdict.Slow : LatencyVerdict.Normal;
    }

    private void Record(Dictionary<string, Window> windows, string name, long durationNanos, double percentile)
    {
        if (!windows.TryGetValue(name, out var window))
        {
            if (windows.Count >= MaxNames)
            {
                return;
            }

            window = new Window();
            windows[name] = window;
        }

        window.Current.RecordValue(Math.Clamp(durationNanos / 1000, 1, MaxMicros));
        window.Seen++;
        if (window.Current.TotalCount >= WindowSize)
        {
            (window.Previous, window.Current) = (window.Current, window.Previous);
            window.Current.Reset();
        }

        if (window.Seen % RecomputeEvery == 0 || window.ThresholdMicros is null)
        {
            scratch.Reset();
            scratch.Add(window.Previous);
            scratch.Add(window.Current);
            window.ThresholdMicros = scratch.GetValueAtPercentile(Math.Clamp(percentile, 0, 100));
        }
    }

    private sealed class Window
    {
        public LongHistogram Current = new(MaxMicros, 2);
        public LongHistogram Previous = new(MaxMicros, 2);
        public long Seen;
        public long? ThresholdMicros;
    }
}
