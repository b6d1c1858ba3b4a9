using Google.Protobuf;
using TradingAspire.TraceAnalytics.Otlp;
using Xunit;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.TraceAnalytics;

[Trait(TestCategory.Name, TestCategory.Unit)]
public class OtlpProtobufDecodingTests
{
    [Fact]
    public void A_protobuf_request_built_with_the_generated_classes_decodes_to_span_rows()
    {
        var bytes = OtlpRequests.OrderRequest().ToByteArray();

        Assert.True(OtlpTraceDecoder.TryDecode(bytes, OtlpPayloadFormat.Protobuf, out var request, out var error), error);
        var conversion = OtlpSpanConverter.Convert(request);

        Assert.Equal(0, conversion.RejectedSpans);
        Assert.Equal(2, conversion.Spans.Count);
        var root = conversion.Spans[0];
        Assert.Equal(OtlpRequests.TraceIdHex, root.TraceId);
        Assert.Equal(OtlpRequests.RootSpanIdHex, root.SpanId);
        Assert.Equal("", root.ParentSpanId);
        Assert.Equal("POST /orders", root.SpanName);
        Assert.Equal("Server", root.SpanKind);
        Assert.Equal("orders-api", root.ServiceName);
        Assert.Equal("TradingAspire.Orders", root.ScopeName);
        Assert.Equal("1.0.0", root.ScopeVersion);
        Assert.Equal("Ok", root.StatusCode);
        Assert.Equal(1_000_000, root.DurationNanos);
        Assert.Equal(DateTime.UnixEpoch.AddTicks((long)(OtlpRequests.StartNanos / 100)), root.Timestamp);
        Assert.Equal("201", root.SpanAttributes["http.response.status_code"]);
        Assert.Equal("ord-42", root.OrderId);
        Assert.Equal("orders-api", root.ResourceAttributes["service.name"]);
        var accepted = Assert.Single(root.Events);
        Assert.Equal("order.accepted", accepted.Name);
        Assert.Equal("AAPL", accepted.Attributes["trading.symbol"]);

        var child = conversion.Spans[1];
        Assert.Equal(OtlpRequests.RootSpanIdHex, child.ParentSpanId);
        Assert.Equal("Client", child.SpanKind);
        Assert.Equal("Error", child.StatusCode);
        Assert.Equal("timeout", child.StatusMessage);
    }

    [Fact]
    public void Malformed_protobuf_is_rejected_with_a_reason()
    {
        byte[] garbage = [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01];

        var decoded = OtlpTraceDecoder.TryDecode(garbage, OtlpPayloadFormat.Protobuf, out _, out var error);

        Assert.False(decoded);
        Assert.StartsWith("malformed protobuf", error);
    }

    [Fact]
    public void A_truncated_protobuf_request_is_rejected_with_a_reason()
    {
        var bytes = OtlpRequests.OrderRequest().ToByteArray();

        var decoded = OtlpTraceDecoder.TryDecode(bytes.AsSpan(0, bytes.Length - 7), OtlpPayloadFormat.Protobuf, out _, out var error);

        Assert.False(decoded);
        Assert.Contains("malformed protobuf", error);
    }

    [Fact]
    public void An_empty_protobuf_body_is_an_empty_request()
    {
        Assert.True(OtlpTraceDecoder.TryDecode([], OtlpPayloadFormat.Protobuf, out var request, out _));
        Assert.Empty(request.ResourceSpans);
    }

    [Fact]
    public void Spans_without_any_trading_attributes_are_kept()
    {
        var plain = OtlpRequests.Span(OtlpRequests.TraceIdHex, OtlpRequests.RootSpanIdHex, "SELECT users");
        plain.Kind = OpenTelemetry.Proto.Trace.V1.Span.Types.SpanKind.Unspecified;
        var request = OtlpRequests.Request("some-python-service", plain);

        var conversion = OtlpSpanConverter.Convert(request);

        var span = Assert.Single(conversion.Spans);
        Assert.Null(span.OrderId);
        Assert.Equal("Unspecified", span.SpanKind);
        Assert.Equal("some-python-service", span.ServiceName);
    }
}
