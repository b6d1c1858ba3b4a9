using System.Diagnostics;
using OpenTelemetry;
using TradingAspire.ServiceDefaults;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.ServiceDefaults;

/// <summary>The order's baggage goes onto spans of its own flow, and never onto a Redis span drained later in another flow.</summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class BaggageTagProcessorTests : IDisposable
{
    private readonly ActivitySource redis = new("OpenTelemetry.Instrumentation.StackExchangeRedis");
    private readonly ActivitySource service = new("TradingAspire.Test.Baggage");
    private readonly ActivityListener listener;
    private readonly BaggageTagProcessor processor = new();

    public BaggageTagProcessorTests()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source == redis || source == service,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = processor.OnStart,
            ActivityStopped = processor.OnEnd,
        };
        ActivitySource.AddActivityListener(listener);
    }

    public void Dispose()
    {
        listener.Dispose();
        redis.Dispose();
        service.Dispose();
        Baggage.Current = default;
    }

    [Fact]
    public void A_redis_span_drained_in_another_orders_flow_gets_no_order_id()
    {
        var parent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        Baggage.Current = Baggage.Create(new Dictionary<string, string> { [TradingAttributes.OrderId] = "someone-else" });

        using var drained = redis.StartActivity("SET", ActivityKind.Client, parent)!;

        Assert.Null(drained.GetTagItem(TradingAttributes.OrderId));
    }

    [Fact]
    public void A_redis_span_started_in_its_orders_flow_gets_the_order_id()
    {
        Baggage.Current = Baggage.Create(new Dictionary<string, string> { [TradingAttributes.OrderId] = "o-1" });
        using var stage = service.StartActivity("venue.match")!;

        using var command = redis.StartActivity("SET", ActivityKind.Client)!;

        Assert.Equal("o-1", command.GetTagItem(TradingAttributes.OrderId));
    }

    [Fact]
    public void A_consumer_span_started_from_a_message_context_gets_the_messages_baggage()
    {
        var parent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        Baggage.Current = Baggage.Create(new Dictionary<string, string> { [TradingAttributes.OrderId] = "o-2" });

        using var process = service.StartActivity("process orders.new", ActivityKind.Consumer, parent)!;

        Assert.Equal("o-2", process.GetTagItem(TradingAttributes.OrderId));
    }
}
