using OpenTelemetry.Proto.Collector.Trace.V1;

namespace TradingAspire.TraceAnalytics.Forwarding;

/// <summary>How one export attempt ended.</summary>
public enum SendStatus
{
    /// <summary>The backend took the export (<see cref="SendResult.RejectedSpans"/> of it may have been refused: partial success).</summary>
    Delivered,
    /// <summary>Try again later: unreachable, timed out, or 429/502/503/504, gRPC UNAVAILABLE and the like.</summary>
    Retryable,
    /// <summary>The backend refused it for good (401/403, 400, gRPC UNAUTHENTICATED, INVALID_ARGUMENT ...): retrying cannot help.</summary>
    Refused,
}

/// <summary>
/// One attempt's outcome: <see cref="ErrorType"/> is short and low-cardinality (the metric tag: <c>401</c>,
/// <c>Unauthenticated</c>, <c>ConnectionError</c>, <c>timeout</c>), <see cref="Detail"/> the backend's own words.
/// </summary>
public sealed record SendResult(SendStatus Status, string ErrorType = "", string Detail = "", TimeSpan? RetryAfter = null, long RejectedSpans = 0)
{
    public static SendResult Delivered(long rejectedSpans = 0, string detail = "") =>
        new(SendStatus.Delivered, rejectedSpans > 0 ? "partial_success" : "", detail, RejectedSpans: rejectedSpans);
}

/// <summary>Sends one OTLP trace export to the backend over one transport (OTLP/gRPC or OTLP/HTTP protobuf).</summary>
public interface IOtlpTraceSender : IDisposable
{
    /// <summary>One attempt, within the configured timeout; never throws but for <paramref name="cancellationToken"/>.</summary>
    Task<SendResult> SendAsync(ExportTraceServiceRequest request, CancellationToken cancellationToken);
}
