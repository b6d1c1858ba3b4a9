using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace TradingAspire.Tests.TraceAnalytics;

/// <summary>OTLP requests built with the generated classes, as the .NET exporter would send them.</summary>
internal static class OtlpRequests
{
    public const string TraceIdHex = "5b8efff798038103d269b633813fc60c";
    public const string RootSpanIdHex = "eee19b7ec3c1b173";
    public const string ChildSpanIdHex = "eee19b7ec3c1b174";
    public const ulong StartNanos = 1_700_000_000_123_456_700;

    public static ByteString Hex(string hex) => ByteString.CopyFrom(Convert.FromHexString(hex));

    public static KeyValue Attribute(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    public static KeyValue Attribute(string key, long value) => new() { Key = key, Value = new AnyValue { IntValue = value } };

    public static Span Span(string traceIdHex, string spanIdHex, string name, string parentSpanIdHex = "", ulong startOffsetNanos = 0, ulong durationNanos = 1_000_000, params KeyValue[] attributes)
    {
        var span = new Span
        {
            TraceId = Hex(traceIdHex),
            SpanId = Hex(spanIdHex),
            ParentSpanId = Hex(parentSpanIdHex),
            Name = name,
            Kind = OpenTelemetry.Proto.Trace.V1.Span.Types.SpanKind.Server,
            StartTimeUnixNano = StartNanos + startOffsetNanos,
            EndTimeUnixNano = StartNanos + startOffsetNanos + durationNanos,
        };
        span.Attributes.AddRange(attributes);
        return span;
    }

    public static ExportTraceServiceRequest Request(string serviceName, params Span[] spans)
    {
        var resource = new Resource();
        resource.Attributes.Add(Attribute("service.name", serviceName));
        var scopeSpans = new ScopeSpans { Scope = new InstrumentationScope { Name = "TradingAspire.Orders", Version = "1.0.0" } };
        scopeSpans.Spans.AddRange(spans);
        var resourceSpans = new ResourceSpans { Resource = resource };
        resourceSpans.ScopeSpans.Add(scopeSpans);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resourceSpans);
        return request;
    }

    /// <summary>A server span with an event and a child client span, both tagged with an order id.</summary>
    public static ExportTraceServiceRequest OrderRequest(string orderId = "ord-42")
    {
        var root = Span(TraceIdHex, RootSpanIdHex, "POST /orders", attributes: [Attribute("trading.order_id", orderId), Attribute("http.response.status_code", 201)]);
        root.Status = new Status { Code = Status.Types.StatusCode.Ok };
        root.Events.Add(new Span.Types.Event
        {
            Name = "order.accepted",
            TimeUnixNano = StartNanos + 500_000,
            Attributes = { Attribute("trading.symbol", "AAPL") },
        });
        var child = Span(TraceIdHex, ChildSpanIdHex, "XADD orders", RootSpanIdHex, startOffsetNanos: 100_000, durationNanos: 250_000, attributes: Attribute("trading.order_id", orderId));
        child.Kind = OpenTelemetry.Proto.Trace.V1.Span.Types.SpanKind.Client;
        child.Status = new Status { Code = Status.Types.StatusCode.Error, Message = "timeout" };
        return Request("orders-api", root, child);
    }

    /// <summary>The trace example from the opentelemetry-proto repository (examples/trace.json), verbatim.</summary>
    public const string OfficialJsonExample = """
        {
          "resourceSpans": [
            {
              "resource": {
                "attributes": [
                  {
                    "key": "service.name",
                    "value": {
                      "stringValue": "my.service"
                    }
                  }
                ]
              },
              "scopeSpans": [
                {
                  "scope": {
                    "name": "my.library",
                    "version": "1.0.0",
                    "attributes": [
                      {
                        "key": "my.scope.attribute",
                        "value": {
                          "stringValue": "some scope attribute"
                        }
                      }
                    ]
                  },
                  "spans": [
                    {
                      "traceId": "5B8EFFF798038103D269B633813FC60C",
                      "spanId": "EEE19B7EC3C1B174",
                      "parentSpanId": "EEE19B7EC3C1B173",
                      "name": "I'm a server span",
                      "startTimeUnixNano": "1544712660000000000",
                      "endTimeUnixNano": "1544712661000000000",
                      "kind": 2,
                      "attributes": [
                        {
                          "key": "my.span.attr",
                          "value": {
                            "stringValue": "some value"
                          }
                        }
                      ]
                    }
                  ]
                }
              ]
            }
          ]
        }
        """;
}

internal static class OtlpRequestExtensions
{
    /// <summary>The same request with every span moved to trace <paramref name="traceIdHex"/> (so tests don't share traces).</summary>
    public static ExportTraceServiceRequest WithTraceId(this ExportTraceServiceRequest request, string traceIdHex)
    {
        var copy = request.Clone();
        foreach (var span in copy.ResourceSpans.SelectMany(r => r.ScopeSpans).SelectMany(s => s.Spans))
        {
            span.TraceId = OtlpRequests.Hex(traceIdHex);
        }

        return copy;
    }
}
