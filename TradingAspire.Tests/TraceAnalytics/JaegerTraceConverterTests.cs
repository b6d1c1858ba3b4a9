using System.Text.Json;
using TradingAspire.TraceAnalytics.Query;
using TradingAspire.TraceAnalytics.Storage;
using Xunit;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.TraceAnalytics;

[Trait(TestCategory.Name, TestCategory.Unit)]
public class JaegerTraceConverterTests
{
    private static JsonElement Convert(IReadOnlyList<SpanRecord> spans)
    {
        var document = JaegerTraceConverter.Convert(spans[0].TraceId, spans);
        return JsonDocument.Parse(JsonSerializer.Serialize(document, JsonSerializerOptions.Web)).RootElement;
    }

    [Fact]
    public void A_trace_becomes_the_json_file_the_Jaeger_UI_loads()
    {
        var start = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1234);
        var spans = SampleTraces.Order(0, start, riskError: true).ToList();
        spans[0] = spans[0] with
        {
            Events = [new SpanEventRecord(start.AddMilliseconds(1), "order.accepted", new Dictionary<string, string> { ["trading.quantity"] = "2", ["ratio"] = "0.5" })],
        };

        var root = Convert(spans);

        var trace = Assert.Single(root.GetProperty("data").EnumerateArray());
        Assert.Equal(SampleTraces.TraceId(0), trace.GetProperty("traceID").GetString());
        Assert.Equal(JsonValueKind.Null, trace.GetProperty("warnings").ValueKind);
        var jaegerSpans = trace.GetProperty("spans").EnumerateArray().ToArray();
        Assert.Equal(spans.Count, jaegerSpans.Length);

        var first = jaegerSpans[0];
        Assert.Equal(["traceID", "spanID", "operationName", "references", "startTime", "duration", "tags", "logs", "processID", "warnings"],
            first.EnumerateObject().Select(p => p.Name));
        Assert.Equal("POST", first.GetProperty("operationName").GetString());
        Assert.Equal((start.Ticks - DateTime.UnixEpoch.Ticks) / 10, first.GetProperty("startTime").GetInt64());
        Assert.Equal(3000, first.GetProperty("duration").GetInt64());
        Assert.Empty(first.GetProperty("references").EnumerateArray());
        var log = Assert.Single(first.GetProperty("logs").EnumerateArray());
        Assert.Equal((start.AddMilliseconds(1).Ticks - DateTime.UnixEpoch.Ticks) / 10, log.GetProperty("timestamp").GetInt64());
        var fields = log.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("key").GetString()!);
        Assert.Equal("order.accepted", fields["event"].GetProperty("value").GetString());
        Assert.Equal("int64", fields["trading.quantity"].GetProperty("type").GetString());
        Assert.Equal(2, fields["trading.quantity"].GetProperty("value").GetInt64());
        Assert.Equal("float64", fields["ratio"].GetProperty("type").GetString());

        var child = jaegerSpans.Single(s => s.GetProperty("operationName").GetString() == "order.receive");
        var reference = Assert.Single(child.GetProperty("references").EnumerateArray());
        Assert.Equal("CHILD_OF", reference.GetProperty("refType").GetString());
        Assert.Equal(SampleTraces.TraceId(0), reference.GetProperty("traceID").GetString());
        Assert.Equal(first.GetProperty("spanID").GetString(), reference.GetProperty("spanID").GetString());
        var childTags = child.GetProperty("tags").EnumerateArray().ToDictionary(t => t.GetProperty("key").GetString()!);
        Assert.Equal("server", childTags["span.kind"].GetProperty("value").GetString());
        Assert.Equal("string", childTags["trading.order_id"].GetProperty("type").GetString());
        Assert.False(childTags.ContainsKey("error"));

        var failed = jaegerSpans.Single(s => s.GetProperty("operationName").GetString() == "risk.check");
        var tags = failed.GetProperty("tags").EnumerateArray().ToDictionary(t => t.GetProperty("key").GetString()!);
        Assert.Equal("ERROR", tags["otel.status_code"].GetProperty("value").GetString());
        Assert.Equal("over the notional limit", tags["otel.status_description"].GetProperty("value").GetString());
        Assert.Equal("bool", tags["error"].GetProperty("type").GetString());
        Assert.True(tags["error"].GetProperty("value").GetBoolean());
        Assert.Equal("limit_exceeded", tags["error.type"].GetProperty("value").GetString());

        var processes = trace.GetProperty("processes").EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        Assert.Equal(["exchanges", "execution", "gateway", "notification", "orderflow", "risk"],
            processes.Values.Select(p => p.GetProperty("serviceName").GetString()).Order());
        Assert.All(jaegerSpans, s => Assert.True(processes.ContainsKey(s.GetProperty("processID").GetString()!)));
        Assert.Equal("orderflow", processes[first.GetProperty("processID").GetString()!].GetProperty("serviceName").GetString());
    }

    [Theory]
    [InlineData("true", "bool")]
    [InlineData("42", "int64")]
    [InlineData("-7", "int64")]
    [InlineData("0042", "string")]
    [InlineData("1.25", "float64")]
    [InlineData("NaN", "string")]
    [InlineData("ord-1", "string")]
    [InlineData("", "string")]
    public void Tag_types_are_recovered_from_the_stored_text_without_losing_it(string text, string type)
    {
        var tag = JaegerTraceConverter.Tag("k", text);

        Assert.Equal(type, tag.Type);
        Assert.Equal(text, System.Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture)!.Replace("True", "true"));
    }
}
