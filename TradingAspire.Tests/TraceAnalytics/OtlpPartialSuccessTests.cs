using TradingAspire.TraceAnalytics.Otlp;
using Xunit;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.TraceAnalytics;

[Trait(TestCategory.Name, TestCategory.Unit)]
public class OtlpPartialSuccessTests
{
    [Fact]
    public void A_span_whose_trace_id_is_not_16_bytes_is_rejected_and_the_others_kept()
    {
        var good = OtlpRequests.Span(OtlpRequests.TraceIdHex, OtlpRequests.RootSpanIdHex, "good");
        var shortTraceId = OtlpRequests.Span("0102030405060708", OtlpRequests.ChildSpanIdHex, "short trace id");
        var request = OtlpRequests.Request("svc", good, shortTraceId);

        var conversion = OtlpSpanConverter.Convert(request);
        var response = OtlpSpanConverter.ToResponse(conversion);

        Assert.Equal("good", Assert.Single(conversion.Spans).SpanName);
        Assert.Equal(1, response.PartialSuccess.RejectedSpans);
        Assert.Contains("short trace id", response.PartialSuccess.ErrorMessage);
        Assert.Contains("trace id must be 16 bytes, got 8", response.PartialSuccess.ErrorMessage);
    }

    [Theory]
    [InlineData("00000000000000000000000000000000", "eee19b7ec3c1b173", "", "trace id is all zeroes")]
    [InlineData(OtlpRequests.TraceIdHex, "eee19b7e", "", "span id must be 8 bytes, got 4")]
    [InlineData(OtlpRequests.TraceIdHex, "0000000000000000", "", "span id is all zeroes")]
    [InlineData(OtlpRequests.TraceIdHex, "eee19b7ec3c1b173", "0102", "parent span id must be empty or 8 bytes, got 2")]
    public void Spans_without_a_valid_identity_are_rejected(string traceId, string spanId, string parentSpanId, string reason)
    {
        var request = OtlpRequests.Request("svc", OtlpRequests.Span(traceId, spanId, "bad", parentSpanId));

        var conversion = OtlpSpanConverter.Convert(request);

        Assert.Empty(conversion.Spans);
        Assert.Equal(1, conversion.RejectedSpans);
        Assert.Contains(reason, conversion.ErrorMessage);
    }

    [Fact]
    public void A_fully_accepted_request_leaves_partial_success_unset()
    {
        var response = OtlpSpanConverter.ToResponse(OtlpSpanConverter.Convert(OtlpRequests.OrderRequest()));

        Assert.Null(response.PartialSuccess);
    }

    [Fact]
    public void A_json_span_with_a_short_hex_trace_id_is_a_partial_success()
    {
        const string json = """
            {"resourceSpans":[{"scopeSpans":[{"spans":[
              {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"ok"},
              {"traceId":"5b8efff798038103","spanId":"eee19b7ec3c1b175","name":"short"}]}]}]}
            """;

        Assert.True(OtlpTraceDecoder.TryDecode(System.Text.Encoding.UTF8.GetBytes(json), OtlpPayloadFormat.Json, out var request, out _));
        var conversion = OtlpSpanConverter.Convert(request);

        Assert.Single(conversion.Spans);
        Assert.Equal(1, conversion.RejectedSpans);
    }
}
