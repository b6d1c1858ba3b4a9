using TradingAspire.Contracts;
using TradingAspire.ServiceDefaults;
using TradingAspire.TraceAnalytics.Alerts;
using TradingAspire.TraceAnalytics.Analytics;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.Sampling;

/// <summary>
/// Whether to keep a complete trace, and why: the first that holds of an error span, a risk rejection, a span of an
/// alert rule's stage over the rule's threshold, a market-data feed session (<see cref="IsFeedSession"/>), an end-to-end latency above the running slow percentile (or too few
/// traces seen to judge: warmup), a stage span above its running anomaly percentile; else the trace is kept when its
/// id hashes into <paramref name="keepShare"/> (<see cref="TraceSampleHash"/>: every decision on the same id agrees).
/// Pure given the <see cref="ILatencyJudge"/>: unit-tested as a table.
/// </summary>
public sealed class TraceKeepPolicy(double keepShare, IReadOnlyList<AlertRule> alertRules)
{
    private readonly (string Stage, long ThresholdNanos)[] alerts = alertRules
        .Where(r => !string.IsNullOrWhiteSpace(r.Stage) && r.ThresholdMs > 0)
        .Select(r => (r.Stage, (long)(r.ThresholdMs * 1_000_000)))
        .ToArray();

    public double KeepShare { get; } = Math.Clamp(keepShare, 0, 1);

    /// <summary>The weight a kept trace is stored with: 1/KeepShare for a sampled one, else 1.</summary>
    public double WeightOf(KeepReason reason) => reason == KeepReason.Sampled && KeepShare > 0 ? 1 / KeepShare : 1;

    public KeepReason Decide(string traceId, IReadOnlyList<SpanRecord> spans, ILatencyJudge judge)
    {
        if (spans.Count == 0)
        {
            return KeepReason.SampledOut;
        }

        var error = false;
        var alert = false;
        foreach (var span in spans)
        {
            if (IsRejection(span))
            {
                return KeepReason.Rejected;
            }

            error |= span.StatusCode == SpanRecord.StatusCodes.Error;
            alert |= !error && BreachesAlert(span);
        }

        if (error)
        {
            return KeepReason.Error;
        }

        if (alert)
        {
            return KeepReason.Alert;
        }

        if (IsFeedSession(spans))
        {
            return KeepReason.FeedSession;
        }

        switch (judge.EndToEnd(RootName(spans), EndToEndNanos(spans)))
        {
            case LatencyVerdict.Slow:
                return KeepReason.Slow;
            case LatencyVerdict.Unknown:
                return KeepReason.Warmup;
        }

        foreach (var span in spans)
        {
            if (PipelineStages.IsStage(span.SpanName) && judge.Stage(span.SpanName, span.DurationNanos) == LatencyVerdict.Slow)
            {
                return KeepReason.Anomaly;
            }
        }

        return TraceSampleHash.InShare(traceId, KeepShare) ? KeepReason.Sampled : KeepReason.SampledOut;
    }

    /// <summary>The root span's name (the earliest span without a parent), else (no root arrived: decided at the timeout) the earliest span's.</summary>
    public static string RootName(IReadOnlyList<SpanRecord> spans)
    {
        SpanRecord? root = null;
        SpanRecord? earliest = null;
        foreach (var span in spans)
        {
            if (earliest is null || span.Timestamp < earliest.Timestamp)
            {
                earliest = span;
            }

            if (span.ParentSpanId.Length == 0 && (root is null || span.Timestamp < root.Timestamp))
            {
                root = span;
            }
        }

        return (root ?? earliest)?.SpanName ?? "";
    }

    /// <summary>
    /// A feed connection's session: its root is <c>marketdata.session</c>, or it holds a <c>marketdata.connect</c> or
    /// <c>marketdata.gap</c> span (an open session, whose root is exported only when it ends), or a sampled
    /// <c>marketdata.message</c> (a long session's later spans, once its decision is forgotten, arrive as a trace of their own).
    /// </summary>
    public static bool IsFeedSession(IReadOnlyList<SpanRecord> spans)
    {
        foreach (var span in spans)
        {
            if (span.SpanName is MarketDataSpans.Connect or MarketDataSpans.GapRecovery or MarketDataSpans.Message ||
                (span.SpanName == MarketDataSpans.Session && span.ParentSpanId.Length == 0))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>End-to-end latency in ns: from the earliest span start to the latest span end.</summary>
    public static long EndToEndNanos(IReadOnlyList<SpanRecord> spans)
    {
        var start = long.MaxValue;
        var end = long.MinValue;
        foreach (var span in spans)
        {
            start = Math.Min(start, span.Timestamp.Ticks);
            end = Math.Max(end, span.Timestamp.Ticks + span.DurationNanos / 100);
        }

        return spans.Count == 0 ? 0 : (end - start) * 100;
    }

    private static bool IsRejection(SpanRecord span) =>
        (span.SpanAttributes.TryGetValue(TradingAttributes.RiskDecision, out var decision) && decision.StartsWith("reject", StringComparison.OrdinalIgnoreCase))
        || span.SpanName is "send orders.rejected" or "process orders.rejected";

    private bool BreachesAlert(SpanRecord span)
    {
        foreach (var (stage, threshold) in alerts)
        {
            if (span.DurationNanos > threshold && string.Equals(span.SpanName, stage, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
