namespace TradingAspire.TraceAnalytics.Ingest;

/// <summary>Configuration section <c>TraceIngest</c>.</summary>
public sealed class IngestOptions
{
    public const string Section = "TraceIngest";

    /// <summary>Requests waiting for the writer; when all are taken, ingest answers 503 with Retry-After.</summary>
    public int QueueCapacity { get; set; } = 1024;

    /// <summary>The writer appends once it holds this many spans...</summary>
    public int BatchSize { get; set; } = 5000;

    /// <summary>...or this long after the first span of a batch arrived, whichever comes first.</summary>
    public int FlushIntervalMilliseconds { get; set; } = 200;

    /// <summary>Largest request body accepted, after gzip decompression.</summary>
    public long MaxBodyBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>
    /// When set, every export must carry it in <see cref="ApiKeyHeader"/> (the AppHost generates one,
    /// like the Aspire dashboard's OTLP key); 401 otherwise.
    /// </summary>
    public string? ApiKey { get; set; }

    public const string ApiKeyHeader = "x-otlp-api-key";

    /// <summary>Seconds a client is asked to wait when the queue is full.</summary>
    public int RetryAfterSeconds { get; set; } = 1;
}
