using System.Diagnostics.Metrics;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.TraceAnalytics.Sampling;

/// <summary>
/// What tail sampling did, on the service's meter <c>TradingAspire.TraceAnalytics</c>: traces kept
/// (<c>trading.tracestore.traces.kept</c>) and dropped (<c>trading.tracestore.traces.dropped</c>, with their spans in
/// <c>trading.tracestore.spans.dropped</c>), tagged <c>reason</c>, and the undecided traces held
/// (<c>trading.tracestore.traces.buffered</c>); the same totals since start for <c>GET /api/sampling</c>.
/// </summary>
public sealed class SamplingMetrics
{
    public const string KeptInstrument = "trading.tracestore.traces.kept";
    public const string DroppedInstrument = "trading.tracestore.traces.dropped";
    public const string DroppedSpansInstrument = "trading.tracestore.spans.dropped";
    public const string BufferedInstrument = "trading.tracestore.traces.buffered";
    public const string ReasonTag = "reason";

    private static readonly KeepReason[] Reasons = Enum.GetValues<KeepReason>();

    private readonly Counter<long> kept;
    private readonly Counter<long> dropped;
    private readonly Counter<long> droppedSpans;
    private readonly long[] tracesBy = new long[Reasons.Length];
    private readonly long[] spansBy = new long[Reasons.Length];
    private Func<int>? buffered;

    public SamplingMetrics(ServiceTelemetry telemetry)
    {
        kept = telemetry.Meter.CreateCounter<long>(KeptInstrument, "{trace}", "Traces tail sampling kept, by reason (error, rejected, alert, slow, anomaly, warmup, sampled).");
        dropped = telemetry.Meter.CreateCounter<long>(DroppedInstrument, "{trace}", "Traces tail sampling dropped, by reason (sampled_out).");
        droppedSpans = telemetry.Meter.CreateCounter<long>(DroppedSpansInstrument, "{span}", "Spans tail sampling dropped (their traces', and late spans of dropped traces), by reason.");
        telemetry.Meter.CreateObservableGauge(BufferedInstrument, () => buffered?.Invoke() ?? 0, "{trace}", "Traces waiting for their tail-sampling decision.");
    }

    /// <summary>Where the buffered gauge reads from (the sampler, once it has a buffer).</summary>
    internal void ObserveBuffer(Func<int> bufferedTraces) => buffered = bufferedTraces;

    public void Decided(KeepReason reason, int spans)
    {
        Interlocked.Increment(ref tracesBy[(int)reason]);
        Interlocked.Add(ref spansBy[(int)reason], spans);
        var tag = new KeyValuePair<string, object?>(ReasonTag, reason.Name());
        if (reason == KeepReason.SampledOut)
        {
            dropped.Add(1, tag);
            droppedSpans.Add(spans, tag);
        }
        else
        {
            kept.Add(1, tag);
        }
    }

    /// <summary>Spans of a trace dropped earlier that arrived after the decision.</summary>
    public void LateDropped(int spans)
    {
        if (spans > 0)
        {
            Interlocked.Add(ref spansBy[(int)KeepReason.SampledOut], spans);
            droppedSpans.Add(spans, new KeyValuePair<string, object?>(ReasonTag, KeepReason.SampledOut.Name()));
        }
    }

    public long Traces(KeepReason reason) => Interlocked.Read(ref tracesBy[(int)reason]);

    public long Spans(KeepReason reason) => Interlocked.Read(ref spansBy[(int)reason]);

    public long KeptTraces => Reasons.Where(r => r != KeepReason.SampledOut).Sum(Traces);

    public long DroppedTraces => Traces(KeepReason.SampledOut);

    public IReadOnlyDictionary<string, long> KeptByReason() =>
        Reasons.Where(r => r != KeepReason.SampledOut).ToDictionary(r => r.Name(), Traces);
}
