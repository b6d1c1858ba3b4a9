using System.Text;
using TradingAspire.TraceAnalytics.Otlp;
using Xunit;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.TraceAnalytics;

[Trait(TestCategory.Name, TestCategory.Unit)]
public class OtlpJsonDecodingTests
{
    private static OtlpConversion DecodeAndConvert(string json)
    {
        Assert.True(OtlpTraceDecoder.TryDecode(Encoding.UTF8.GetBytes(json), OtlpPayloadFormat.Json, out var request, out var error), error);
        return OtlpSpanConverter.Convert(request);
    }

    [Fact]
    public void The_official_OTLP_JSON_example_decodes_with_hex_ids_string_timestamps_and_an_int_kind()
    {
        var conversion = DecodeAndConvert(OtlpRequests.OfficialJsonExample);

        var span = Assert.Single(conversion.Spans);
        Assert.Equal("5b8efff798038103d269b633813fc60c", span.TraceId);
        Assert.Equal("eee19b7ec3c1b174", span.SpanId);
        Assert.Equal("eee19b7ec3c1b173", span.ParentSpanId);
        Assert.Equal("I'm a server span", span.SpanName);
        Assert.Equal("Server", span.SpanKind);
        Assert.Equal("my.service", span.ServiceName);
        Assert.Equal("my.library", span.ScopeName);
        Assert.Equal("1.0.0", span.ScopeVersion);
        Assert.Equal(new DateTime(2018, 12, 13, 14, 51, 0, DateTimeKind.Utc), span.Timestamp);
        Assert.Equal(1_000_000_000, span.DurationNanos);
        Assert.Equal("some value", span.SpanAttributes["my.span.attr"]);
    }

    [Fact]
    public void Json_int64_values_may_be_numbers_or_strings_and_enums_ints_or_names()
    {
        const string json = """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"risk"}}]},
              "scopeSpans":[{"scope":{"name":"s"},"spans":[{
                "traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","parentSpanId":"",
                "name":"check","kind":"SPAN_KIND_CONSUMER",
                "startTimeUnixNano":1700000000123456789,"endTimeUnixNano":"1700000000223456789",
                "attributes":[
                  {"key":"trading.quantity","value":{"intValue":"9007199254740993"}},
                  {"key":"trading.price","value":{"doubleValue":101.25}},
                  {"key":"retry","value":{"boolValue":true}},
                  {"key":"tags","value":{"arrayValue":{"values":[{"stringValue":"a"},{"intValue":2}]}}},
                  {"key":"blob","value":{"bytesValue":"AQID"}},
                  {"key":"trading.order_id","value":{"stringValue":"ord-7"}}],
                "events":[{"timeUnixNano":"1700000000200000000","name":"exception",
                  "attributes":[{"key":"exception.message","value":{"stringValue":"boom"}}]}],
                "links":[{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7"}],
                "status":{"code":2,"message":"rejected"},
                "someFieldFromANewerProtocol":{"x":1}}]}]}]}
            """;

        var span = Assert.Single(DecodeAndConvert(json).Spans);

        Assert.Equal("", span.ParentSpanId);
        Assert.Equal("Consumer", span.SpanKind);
        Assert.Equal(100_000_000, span.DurationNanos);
        Assert.Equal(DateTime.UnixEpoch.AddTicks(17_000_000_001_234_567), span.Timestamp);
        Assert.Equal("9007199254740993", span.SpanAttributes["trading.quantity"]);
        Assert.Equal("101.25", span.SpanAttributes["trading.price"]);
        Assert.Equal("true", span.SpanAttributes["retry"]);
        Assert.Equal("[\"a\",2]", span.SpanAttributes["tags"]);
        Assert.Equal("AQID", span.SpanAttributes["blob"]);
        Assert.Equal("ord-7", span.OrderId);
        Assert.Equal("Error", span.StatusCode);
        Assert.Equal("rejected", span.StatusMessage);
        var exception = Assert.Single(span.Events);
        Assert.Equal("boom", exception.Attributes["exception.message"]);
        var link = Assert.Single(span.Links);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", link.TraceId);
        Assert.Equal("00f067aa0ba902b7", link.SpanId);
    }

    [Theory]
    [InlineData("{\"resourceSpans\":[", "malformed JSON")]
    [InlineData("[1,2,3]", "must be a JSON object")]
    [InlineData("not json at all", "malformed JSON")]
    [InlineData("", "malformed JSON")]
    [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"zz-not-hex\",\"spanId\":\"b7ad6b7169203331\"}]}]}]}", "is not hex")]
    [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":42}]}]}]}", "must be a hex string")]
    [InlineData("{\"resourceSpans\":{\"oops\":1}}", "malformed OTLP JSON")]
    [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":\"yesterday\"}]}]}]}", "malformed OTLP JSON")]
    public void Malformed_json_is_rejected_with_a_reason(string json, string reason)
    {
        var decoded = OtlpTraceDecoder.TryDecode(Encoding.UTF8.GetBytes(json), OtlpPayloadFormat.Json, out _, out var error);

        Assert.False(decoded);
        Assert.Contains(reason, error);
    }

    [Fact]
    public void An_enum_name_from_a_newer_protocol_is_ignored_like_an_unknown_field()
    {
        const string json = """
            {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c",
              "spanId":"b7ad6b7169203331","kind":"SPAN_KIND_SIDEWAYS"}]}]}]}
            """;

        Assert.Equal("Unspecified", Assert.Single(DecodeAndConvert(json).Spans).SpanKind);
    }
}
