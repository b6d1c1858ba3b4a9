using System.Diagnostics.Metrics;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.TraceAnalytics.Forwarding;

/// <summary>
/// What became of the spans handed to the forwarder, on the service's meter: <c>trading.traces.forward.spans</c>
/// (the backend took them), <c>trading.traces.forward.failed</c> (refused, or still failing after the retries; tagged
/// <c>error.type</c>), <c>trading.traces.forward.dropped</c> (never sent: the queue was full, tagged <c>reason</c>) and
/// <c>trading.traces.forward.queued</c> (waiting). The same totals, and the last outcome, for <c>GET /api/ingest/status</c>.
/// </summary>
public sealed class ForwardMetrics
{
    public const string ForwardedInstrument = "trading.traces.forward.spans";
    public const string FailedInstrument = "trading.traces.forward.failed";
    public const string DroppedInstrument = "trading.traces.forward.dropped";
    public const string QueuedInstrument = "trading.traces.forward.queued";

    /// <summary><c>reason</c> of a drop.</summary>
    public static class DropReasons
    {
        public const string QueueFull = "queue_full";
        public const string ShuttingDown = "shutting_down";
        public const string NotReceived = "not_received";
    }

    private readonly Counter<long> forwardedCounter;
    private readonly Counter<long> failedCounter;
    private readonly Counter<long> droppedCounter;
    private readonly Meter meter;
    private long forwarded;
    private long failed;
    private long dropped;

    public ForwardMetrics(ServiceTelemetry telemetry)
    {
        meter = telemetry.Meter;
        forwardedCounter = meter.CreateCounter<long>(ForwardedInstrument, "{span}", "Spans forwarded to the external tracing backend and taken by it.");
        failedCounter = meter.CreateCounter<long>(FailedInstrument, "{span}",
            "Spans the external tracing backend refused, or could not take after every retry, by error.type.");
        droppedCounter = meter.CreateCounter<long>(DroppedInstrument, "{span}",
            "Spans never forwarded because the forward queue was full (oldest dropped) or the service stopped, by reason.");
    }

    public long Forwarded => Interlocked.Read(ref forwarded);

    public long Failed => Interlocked.Read(ref failed);

    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>Publishes the queue's length as <c>trading.traces.forward.queued</c>.</summary>
    public void ObserveQueue(Func<int> spans) =>
        meter.CreateObservableGauge(QueuedInstrument, spans, "{span}", "Spans waiting to be forwarded to the external tracing backend.");

    public void Delivered(long spans)
    {
        Interlocked.Add(ref forwarded, spans);
        forwardedCounter.Add(spans);
    }

    public void Failures(long spans, string errorType)
    {
        if (spans <= 0)
        {
            return;
        }

        Interlocked.Add(ref failed, spans);
        failedCounter.Add(spans, new KeyValuePair<string, object?>(SemanticAttributes.ErrorType, errorType));
    }

    public void Drops(long spans, string reason)
    {
        if (spans <= 0)
        {
            return;
        }

        Interlocked.Add(ref dropped, spans);
        droppedCounter.Add(spans, new KeyValuePair<string, object?>("reason", reason));
    }
}
