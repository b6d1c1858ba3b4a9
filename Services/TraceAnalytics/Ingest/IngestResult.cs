using OpenTelemetry.Proto.Collector.Trace.V1;

namespace TradingAspire.TraceAnalytics.Ingest;

/// <summary>What became of one OTLP export, whichever transport brought it.</summary>
public enum IngestOutcome
{
    /// <summary>Every valid span is stored; <see cref="IngestResult.Response"/> reports the refused ones (partial success).</summary>
    Stored,

    /// <summary>The store cannot take the spans now (failing, shutting down, not stored in time, full queue): retry later.</summary>
    Unavailable,
}

/// <summary>
/// The answer to one export: the OTLP response once stored, or the reason and the seconds to wait before a
/// retry. OTLP/HTTP turns it into 200 / 503 + Retry-After, OTLP/gRPC into OK / UNAVAILABLE + RetryInfo.
/// </summary>
public sealed record IngestResult(IngestOutcome Outcome, ExportTraceServiceResponse Response, string Reason, int RetryAfterSeconds)
{
    public static IngestResult Stored(ExportTraceServiceResponse response) => new(IngestOutcome.Stored, response, "", 0);

    public static IngestResult Unavailable(string reason, int retryAfterSeconds) =>
        new(IngestOutcome.Unavailable, new ExportTraceServiceResponse(), reason, Math.Max(1, retryAfterSeconds));
}
