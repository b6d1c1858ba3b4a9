namespace TradingAspire.TraceAnalytics.Ingest;

/// <summary>Configuration section <c>TraceAnalytics:Ingest</c>.</summary>
public sealed class IngestOptions
{
    public const string Section = "TraceAnalytics:Ingest";

    /// <summary>Requests waiting for the writer; when all are taken, ingest answers 503 with Retry-After.</summary>
    public int QueueCapacity { get; set; } = 1024;

    /// <summary>Most spans the writer appends at once (it takes whatever is queued, up to this).</summary>
    public int BatchSize { get; set; } = 5000;

    /// <summary>
    /// When the queue runs dry before a batch is full, the writer waits this long (at most 200 ms) for more
    /// spans before it appends. Every export waits for its append, so 0 (append at once) is the default.
    /// </summary>
    public int FlushIntervalMilliseconds { get; set; }

    /// <summary>
    /// How long an export waits for its spans to be appended before it is answered 503 with Retry-After
    /// (the spans may still be stored, so a retry can store them twice). Below the OpenTelemetry exporters'
    /// default 10 s timeout, so an exporter gets a retryable answer rather than timing out.
    /// </summary>
    public double AppendTimeoutSeconds { get; set; } = 5;

    /// <summary>Largest request body accepted, after gzip decompression.</summary>
    public long MaxBodyBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>
    /// Every export must carry it in <see cref="ApiKeyHeader"/> (the AppHost generates one, like the Aspire
    /// dashboard's OTLP key); 401 otherwise. While it is not set, every export is refused (fail closed).
    /// </summary>
    public string? ApiKey { get; set; }

    public const string ApiKeyHeader = "x-otlp-api-key";

    /// <summary>
    /// The port OTLP/gRPC ingest is served on, HTTP/2 cleartext only (what gRPC exporters speak to an
    /// <c>http://</c> endpoint); nothing else is served there. Unset: no OTLP/gRPC. Under the AppHost it is the
    /// target port behind the <c>otlp-grpc</c> endpoint (4317 by default); standalone, the service adds
    /// <c>http://localhost:&lt;port&gt;</c> to its URLs unless one of them already has the port.
    /// </summary>
    public int? GrpcPort { get; set; }

    /// <summary>
    /// Seconds a client is asked to wait when refused with 503; while the store is failing, it lets one
    /// export through this often to find out whether it writes again.
    /// </summary>
    public int RetryAfterSeconds { get; set; } = 1;
}
