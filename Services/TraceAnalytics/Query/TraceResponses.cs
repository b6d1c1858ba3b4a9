using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics.Query;

/// <summary><c>GET /api/traces/{traceId}</c>: the spans of one trace, sorted by start time.</summary>
public sealed record TraceResponse(string TraceId, IReadOnlyList<SpanResponse> Spans);

/// <summary>
/// <c>GET /api/orders/{orderId}/trace</c>: the trace with the most spans carrying the order id,
/// and the ids of any other traces that carry it.
/// </summary>
public sealed record OrderTraceResponse(
    string TraceId,
    string OrderId,
    IReadOnlyList<string> OtherTraceIds,
    IReadOnlyList<SpanResponse> Spans);

public sealed record SpanResponse(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    string Kind,
    string ServiceName,
    string ScopeName,
    DateTime StartTime,
    DateTime EndTime,
    double DurationMs,
    string StatusCode,
    string StatusMessage,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyList<SpanEventResponse> Events)
{
    public static SpanResponse From(SpanRecord span) => new(
        span.TraceId,
        span.SpanId,
        span.ParentSpanId.Length == 0 ? null : span.ParentSpanId,
        span.SpanName,
        // OpenTelemetry reads an unspecified kind as Internal.
        span.SpanKind == SpanRecord.SpanKinds.Unspecified ? SpanRecord.SpanKinds.Internal : span.SpanKind,
        span.ServiceName,
        span.ScopeName,
        DateTime.SpecifyKind(span.Timestamp, DateTimeKind.Utc),
        DateTime.SpecifyKind(span.EndTimestamp, DateTimeKind.Utc),
        span.DurationNanos / 1_000_000.0,
        span.StatusCode,
        span.StatusMessage,
        span.SpanAttributes,
        span.Events.Select(e => new SpanEventResponse(e.Name, DateTime.SpecifyKind(e.Timestamp, DateTimeKind.Utc), e.Attributes)).ToArray());
}

public sealed record SpanEventResponse(string Name, DateTime Time, IReadOnlyDictionary<string, string> Attributes);
