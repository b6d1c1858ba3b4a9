namespace TradingAspire.TraceAnalytics.Forwarding;

/// <summary>What the store forwards: every span it accepts, or only the traces tail sampling keeps.</summary>
public enum ForwardMode
{
    All,
    Kept,
}

/// <summary>
/// Forwarding to an external tracing backend (section <c>TraceAnalytics:Forward</c>): off while <see cref="Endpoint"/>
/// is empty. The spans go out as OTLP <c>ExportTraceServiceRequest</c>s, batched, from a bounded queue that drops its
/// oldest spans when the backend cannot keep up; ingest never waits for the backend.
/// </summary>
public sealed class ForwardOptions
{
    public const string Section = "TraceAnalytics:Forward";

    /// <summary>
    /// The backend's OTLP endpoint, e.g. <c>http://collector:4317</c> (gRPC) or <c>http://tempo:4318</c> (HTTP; the path
    /// <c>/v1/traces</c> is added when the URL has none).
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>
    /// <c>grpc</c> or <c>http/protobuf</c>. Unset: <c>http/protobuf</c> when the endpoint's port is 4318 or its path ends
    /// in <c>/v1/traces</c>, else <c>grpc</c>.
    /// </summary>
    public string? Protocol { get; set; }

    /// <summary>Headers sent with every export, as in <c>OTEL_EXPORTER_OTLP_HEADERS</c>: <c>key=value,key2=value2</c> (values URL-encoded).</summary>
    public string? Headers { get; set; }

    /// <summary>
    /// <c>all</c> (default): every span the store accepts, as soon as it is accepted. <c>kept</c>: with tail sampling on,
    /// only the traces it keeps, once decided (with sampling off every trace is kept, so the same as <c>all</c>).
    /// </summary>
    public ForwardMode Mode { get; set; } = ForwardMode.All;

    /// <summary>Most spans waiting to be forwarded; beyond it the oldest are dropped (and counted).</summary>
    public int MaxQueue { get; set; } = 20_000;

    /// <summary>Most spans in one export (whole received exports are never split; a bigger one goes alone).</summary>
    public int MaxBatchSpans { get; set; } = 2_048;

    /// <summary>How long a batch waits for more spans before it is sent when it is not full.</summary>
    public int BatchDelayMilliseconds { get; set; } = 200;

    /// <summary>Timeout of one export attempt.</summary>
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>Retries of an export the backend could not take (unreachable, 429/502/503/504, gRPC UNAVAILABLE ...); then its spans count as failed.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>First retry delay; it doubles (with jitter) up to <see cref="RetryMaxDelaySeconds"/>. A backend's Retry-After / RetryInfo wins.</summary>
    public int RetryBaseDelayMilliseconds { get; set; } = 1_000;

    public double RetryMaxDelaySeconds { get; set; } = 30;

    /// <summary>On shutdown, how long the forwarder keeps sending what is queued.</summary>
    public double DrainSeconds { get; set; } = 5;

    public bool Enabled => !string.IsNullOrWhiteSpace(Endpoint);
}
