using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Trace.V1;
using TradingAspire.Contracts;
using TradingAspire.ServiceDefaults;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>
/// A marketdata service's connection-session spans as its OTLP exporter sends them: the <c>marketdata.session</c> root
/// (exported once the session ended, with its <c>disconnected</c> event) and the <c>marketdata.connect</c> child.
/// </summary>
internal static class FeedSessionExports
{
    public static ExportTraceServiceRequest Request(params Span[] spans) => OtlpRequests.Request("marketdata", spans);

    /// <summary>The session's root span, from <paramref name="start"/> to <paramref name="end"/>.</summary>
    public static Span Session(string traceId, string venue, string sessionId, DateTime start, DateTime end,
        string? disconnectReason = null, string? error = null)
    {
        var span = At(traceId, SpanId(traceId, 1), "", MarketDataSpans.Session, start, end, venue, sessionId);
        if (disconnectReason is not null)
        {
            var disconnected = new Span.Types.Event { Name = MarketDataSpans.Events.Disconnected, TimeUnixNano = Nanos(end) };
            disconnected.Attributes.Add(OtlpRequests.Attribute(TradingAttributes.FeedDisconnectReason, disconnectReason));
            span.Events.Add(disconnected);
        }

        if (error is not null)
        {
            span.Status = new Status { Code = Status.Types.StatusCode.Error, Message = error };
        }

        return span;
    }

    /// <summary>The session's connect span (connect, login, subscribe), a child of its root, lasting 100 ms from <paramref name="start"/>.</summary>
    public static Span Connect(string traceId, string venue, string sessionId, DateTime start, string? error = null)
    {
        var span = At(traceId, SpanId(traceId, 2), SpanId(traceId, 1), MarketDataSpans.Connect, start, start.AddMilliseconds(100), venue, sessionId);
        if (error is not null)
        {
            span.Status = new Status { Code = Status.Types.StatusCode.Error, Message = error };
        }

        return span;
    }

    private static string SpanId(string traceId, int n) => traceId[..14] + n.ToString("x2");

    private static Span At(string traceId, string spanId, string parentId, string name, DateTime start, DateTime end, string venue, string sessionId)
    {
        var span = new Span
        {
            TraceId = OtlpRequests.Hex(traceId),
            SpanId = OtlpRequests.Hex(spanId),
            ParentSpanId = parentId.Length == 0 ? ByteString.Empty : OtlpRequests.Hex(parentId),
            Name = name,
            Kind = Span.Types.SpanKind.Client,
            StartTimeUnixNano = Nanos(start),
            EndTimeUnixNano = Nanos(end),
        };
        span.Attributes.Add(OtlpRequests.Attribute(TradingAttributes.Venue, venue));
        span.Attributes.Add(OtlpRequests.Attribute(TradingAttributes.FeedSessionId, sessionId));
        return span;
    }

    private static ulong Nanos(DateTime utc) => (ulong)DuckDbTime.ToUnixNanos(utc);
}
