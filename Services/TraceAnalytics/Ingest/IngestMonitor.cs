using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using TradingAspire.ServiceDefaults;
using TradingAspire.TraceAnalytics.Forwarding;

namespace TradingAspire.TraceAnalytics.Ingest;

/// <summary>
/// What became of the spans sent to the store, and whether it can write at all. Counts spans accepted
/// (answered 200 once stored), stored (appended by the writer), refused (answered 503 with Retry-After,
/// by reason) and dropped (queued, but the append failed for good; their requests were answered 503),
/// on the service's meter as <c>traces.ingest.refused</c> and <c>traces.ingest.dropped</c> ({span},
/// tagged <c>error.type</c>). A failed append marks the store failing until an append succeeds again:
/// meanwhile ingest refuses at once, letting one export through every retry interval to try the store.
/// </summary>
public sealed class IngestMonitor
{
    public const string RefusedInstrument = "traces.ingest.refused";
    public const string DroppedInstrument = "traces.ingest.dropped";

    /// <summary><c>error.type</c> of a refusal.</summary>
    public static class Reasons
    {
        public const string StoreFailing = "store_failing";
        public const string QueueFull = "queue_full";
        public const string ShuttingDown = "shutting_down";
        public const string Timeout = "timeout";
        public const string SamplingBufferFull = "sampling_buffer_full";
    }

    private readonly Counter<long> refusedCounter;
    private readonly Counter<long> droppedCounter;
    private readonly TimeProvider clock;
    private readonly ConcurrentDictionary<string, long> refusedBy = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> droppedBy = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private long accepted;
    private long stored;
    private long nextTrial;
    private StoreError? lastError;
    private DateTimeOffset? failingSince;
    private volatile bool failing;

    public IngestMonitor(ServiceTelemetry telemetry, TimeProvider clock)
    {
        this.clock = clock;
        refusedCounter = telemetry.Meter.CreateCounter<long>(RefusedInstrument, "{span}",
            "Spans the trace store refused with 503 (store failing, queue full, shutting down, not stored in time), by error.type.");
        droppedCounter = telemetry.Meter.CreateCounter<long>(DroppedInstrument, "{span}",
            "Spans queued for the trace store whose append failed for good, by error.type; their exports were answered 503.");
    }

    /// <summary>True while the last append failed.</summary>
    public bool IsFailing => failing;

    /// <summary>
    /// Whether an export may go to the writer: always while the store writes, and while it fails only one
    /// export every <paramref name="trialInterval"/> (its append tells whether the store works again).
    /// </summary>
    public bool TryAdmit(TimeSpan trialInterval)
    {
        if (!IsFailing)
        {
            return true;
        }

        var now = clock.GetTimestamp();
        var next = Interlocked.Read(ref nextTrial);
        return now >= next && Interlocked.CompareExchange(ref nextTrial, now + Ticks(trialInterval), next) == next;
    }

    public void Accepted(int spans) => Interlocked.Add(ref accepted, spans);

    public void Refused(int spans, string reason)
    {
        refusedBy.AddOrUpdate(reason, spans, (_, count) => count + spans);
        refusedCounter.Add(spans, new KeyValuePair<string, object?>(SemanticAttributes.ErrorType, reason));
    }

    /// <summary>The writer appended a batch: the store writes.</summary>
    public void Stored(int spans)
    {
        Interlocked.Add(ref stored, spans);
        if (IsFailing)
        {
            lock (gate)
            {
                failingSince = null;
                failing = false;
            }
        }
    }

    /// <summary>The writer gave up on a batch: the store is failing until an append succeeds.</summary>
    public void Dropped(int spans, Exception exception, TimeSpan trialInterval)
    {
        var errorType = exception.GetType().FullName ?? exception.GetType().Name;
        droppedBy.AddOrUpdate(errorType, spans, (_, count) => count + spans);
        droppedCounter.Add(spans, new KeyValuePair<string, object?>(SemanticAttributes.ErrorType, errorType));
        var now = clock.GetUtcNow();
        lock (gate)
        {
            lastError = new StoreError(errorType, exception.Message, now);
            failingSince ??= now;
            failing = true;
            Interlocked.Exchange(ref nextTrial, clock.GetTimestamp() + Ticks(trialInterval));
        }
    }

    public StoreFailure? Failure
    {
        get
        {
            lock (gate)
            {
                return failingSince is { } since && lastError is { } error ? new StoreFailure(since, error) : null;
            }
        }
    }

    public IngestStatusResponse Snapshot(int queuedRequests)
    {
        lock (gate)
        {
            return new IngestStatusResponse(
                failingSince is null,
                failingSince,
                lastError,
                queuedRequests,
                Interlocked.Read(ref accepted),
                Interlocked.Read(ref stored),
                refusedBy.Values.Sum(),
                droppedBy.Values.Sum(),
                new SortedDictionary<string, long>(refusedBy, StringComparer.Ordinal),
                new SortedDictionary<string, long>(droppedBy, StringComparer.Ordinal));
        }
    }

    private long Ticks(TimeSpan interval) => (long)(interval.TotalSeconds * clock.TimestampFrequency);
}

/// <summary>The last append failure: the exception's type and message, and when.</summary>
public sealed record StoreError(string Type, string Message, DateTimeOffset At);

/// <summary>The store has been failing since <paramref name="Since"/>; <paramref name="LastError"/> is the latest failure.</summary>
public sealed record StoreFailure(DateTimeOffset Since, StoreError LastError);

/// <summary>
/// <c>GET /api/ingest/status</c>: whether the store writes, its last error, and span counts since the
/// service started: accepted (answered 200), stored (appended), refused (answered 503, by reason; those
/// refused for <c>timeout</c> may still be stored later), dropped (append failed for good, by error type), and
/// <see cref="Forward"/>: forwarding to an external tracing backend.
/// </summary>
public sealed record IngestStatusResponse(
    bool Healthy,
    DateTimeOffset? FailingSince,
    StoreError? LastError,
    int QueuedRequests,
    long AcceptedSpans,
    long StoredSpans,
    long RefusedSpans,
    long DroppedSpans,
    IReadOnlyDictionary<string, long> Refused,
    IReadOnlyDictionary<string, long> Dropped)
{
    public ForwardStatus? Forward { get; init; }
}
