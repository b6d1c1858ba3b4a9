using System.Net.Http.Json;
using System.Text.Json;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace TradingAspire.Tests.TraceAnalytics.Forwarding;

/// <summary>Exports for the forwarding tests, and the store's forwarding status.</summary>
internal static class ForwardedExports
{
    public const string LinkedSpanIdHex = "0102030405060708";

    public static string NewTraceId() => Guid.NewGuid().ToString("n");

    /// <summary>
    /// The order export (a server span with an event, a failed client child) on trace <paramref name="traceIdHex"/>, plus
    /// what the store's rows do not keep: nanoseconds that are not a multiple of 100, a double attribute, span flags,
    /// a link, a resource schema URL and a scope attribute.
    /// </summary>
    public static ExportTraceServiceRequest Rich(string traceIdHex = OtlpRequests.TraceIdHex, ulong? startNanos = null)
    {
        var export = OtlpRequests.OrderRequest().WithTraceId(traceIdHex);
        var shift = (startNanos ?? OtlpRequests.StartNanos) - OtlpRequests.StartNanos;
        foreach (var span in export.ResourceSpans.SelectMany(r => r.ScopeSpans).SelectMany(s => s.Spans))
        {
            span.StartTimeUnixNano += shift;
            span.EndTimeUnixNano += shift;
            foreach (var spanEvent in span.Events)
            {
                spanEvent.TimeUnixNano += shift;
            }
        }

        var root = export.ResourceSpans[0].ScopeSpans[0].Spans[0];
        root.StartTimeUnixNano += 13;
        root.Flags = 0x301;
        root.Attributes.Add(new KeyValue { Key = "trading.price", Value = new AnyValue { DoubleValue = 101.25 } });
        root.Links.Add(new Span.Types.Link { TraceId = OtlpRequests.Hex(traceIdHex), SpanId = OtlpRequests.Hex(LinkedSpanIdHex) });
        export.ResourceSpans[0].SchemaUrl = "https://opentelemetry.io/schemas/1.26.0";
        export.ResourceSpans[0].ScopeSpans[0].Scope.Attributes.Add(OtlpRequests.Attribute("scope.kind", "orders"));
        return export;
    }

    /// <summary>
    /// A two-span trace of service <paramref name="service"/> starting now: root <c>forward.check</c> (2 ms) and child
    /// <c>forward.step</c> (1 ms), the child failed when <paramref name="error"/>. No name is a pipeline stage.
    /// </summary>
    public static ExportTraceServiceRequest Trace(string traceIdHex, string service, bool error)
    {
        var start = (ulong)(DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;
        var root = OtlpRequests.Span(traceIdHex, "1000000000000001", "forward.check", durationNanos: 2_000_000);
        var child = OtlpRequests.Span(traceIdHex, "1000000000000002", "forward.step", "1000000000000001", startOffsetNanos: 500_000,
            durationNanos: 1_000_000, attributes: OtlpRequests.Attribute("forward.case", error ? "error" : "ordinary"));
        foreach (var span in new[] { root, child })
        {
            span.StartTimeUnixNano += start - OtlpRequests.StartNanos;
            span.EndTimeUnixNano += start - OtlpRequests.StartNanos;
        }

        if (error)
        {
            child.Status = new Status { Code = Status.Types.StatusCode.Error, Message = "venue timeout" };
        }

        return OtlpRequests.Request(service, root, child);
    }

    /// <summary>The <c>forward</c> part of <c>GET /api/ingest/status</c>.</summary>
    public static async Task<JsonElement> ForwardStatusAsync(this TraceAnalyticsServer server)
    {
        var status = await server.Client.GetFromJsonAsync<JsonElement>("/api/ingest/status");
        return status.GetProperty("forward");
    }

    public static long Long(this JsonElement element, string property) => element.GetProperty(property).GetInt64();
}
