using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
using TradingAspire.Messaging;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Messaging;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class TraceContextCarrierTests
{
    static TraceContextCarrierTests() =>
        Sdk.SetDefaultTextMapPropagator(new CompositeTextMapPropagator([new TraceContextPropagator(), new BaggagePropagator()]));

    [Fact]
    public void Context_and_baggage_survive_a_trip_through_entry_fields()
    {
        var context = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, "vendor=1");
        var baggage = Baggage.Create(new Dictionary<string, string> { ["trading.order_id"] = "o-1", ["trading.client_id"] = "c 1" });
        var fields = new Dictionary<string, string>();

        TraceContextCarrier.Inject(context, baggage, fields);
        var extracted = TraceContextCarrier.Extract(fields);

        Assert.Equal($"00-{context.TraceId}-{context.SpanId}-01", fields["traceparent"]);
        Assert.Equal(context.TraceId, extracted.ActivityContext.TraceId);
        Assert.Equal(context.SpanId, extracted.ActivityContext.SpanId);
        Assert.Equal("vendor=1", extracted.ActivityContext.TraceState);
        Assert.Equal("o-1", extracted.Baggage.GetBaggage("trading.order_id"));
        Assert.Equal("c 1", extracted.Baggage.GetBaggage("trading.client_id"));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("00-00000000000000000000000000000000-0000000000000000-01")]
    [InlineData("00-zz-yy-01")]
    public void A_malformed_traceparent_yields_no_parent(string traceparent)
    {
        var extracted = TraceContextCarrier.Extract(new Dictionary<string, string> { ["traceparent"] = traceparent });
        Assert.Equal(default, extracted.ActivityContext);
    }

    [Fact]
    public void Without_a_producer_span_the_current_context_travels()
    {
        using var source = new ActivitySource("carrier-test");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "carrier-test",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
        };
        ActivitySource.AddActivityListener(listener);
        using var current = source.StartActivity("current");
        Assert.Equal(current!.Context, TraceContextCarrier.ContextToPropagate(producerSpan: null));
    }

    [Theory]
    [InlineData("1700000000123-0", 1700000000123)]
    [InlineData("1700000000123-42", 1700000000123)]
    [InlineData("1700000000123", 1700000000123)]
    public void An_entry_id_tells_when_the_entry_was_added(string id, long unixMs)
    {
        Assert.True(StreamEntryId.TryGetTimestamp(id, out var at));
        Assert.Equal(unixMs, at.ToUnixTimeMilliseconds());
        Assert.False(StreamEntryId.TryGetTimestamp("x-1", out _));
        Assert.True(StreamEntryId.Compare("5-10", "5-9") > 0);
        Assert.True(StreamEntryId.Compare("4-10", "5-0") < 0);
    }
}
