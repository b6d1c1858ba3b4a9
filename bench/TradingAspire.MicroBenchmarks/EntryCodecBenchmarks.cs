using System.Diagnostics;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
using StackExchange.Redis;
using TradingAspire.Contracts;
using TradingAspire.Messaging;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.MicroBenchmarks;

/// <summary>
/// A stream entry as the gateway writes it to <c>orders.new</c> and risk reads it back: the publisher's
/// <see cref="IStreamPublisher.Prepare{T}"/> (JSON payload, <c>send</c> span, traceparent/tracestate/baggage
/// fields) and the consumer's decode (fields → dictionary, <see cref="TraceContextCarrier.Extract"/>, JSON body).
/// The order id travels as baggage, as it does from the gateway.
/// </summary>
[BenchmarkCategory("entry")]
public class EntryCodecBenchmarks
{
    private const string SampledStream = "orders.new";
    private readonly MessagingOptions options = new();
    private IStreamPublisher publisher = null!;
    private SamplingListener listener = null!;
    private NewOrder order = null!;
    private NameValueEntry[] entry = [];

    [GlobalSetup]
    public void Setup()
    {
        // What the OpenTelemetry SDK installs in every service: W3C trace context and baggage.
        Sdk.SetDefaultTextMapPropagator(new CompositeTextMapPropagator([new TraceContextPropagator(), new BaggagePropagator()]));
        listener = new SamplingListener(new Dictionary<string, ActivitySamplingResult>
        {
            [MessagingTelemetry.Name] = ActivitySamplingResult.AllDataAndRecorded,
        });
        // Prepare never touches Redis: the caller adds the entry (the gateway inside its accept script).
        publisher = new StreamPublisher(null!, options);
        order = SampleOrders.Market();
        Baggage.Current = Baggage.Create(new Dictionary<string, string> { [TradingAttributes.OrderId] = order.OrderId });
        using var prepared = publisher.Prepare(SampledStream, order);
        entry = prepared.Entries();
    }

    [GlobalCleanup]
    public void Cleanup() => listener.Dispose();

    [Benchmark(Description = "entry encode: JSON + send span + trace context fields (sampled)")]
    public NameValueEntry[] Encode()
    {
        using var prepared = publisher.Prepare(SampledStream, order);
        var fields = prepared.Entries();
        prepared.Sent("1764579600000-0");
        return fields;
    }

    [Benchmark(Description = "entry decode: fields + extract trace context + JSON")]
    public NewOrder Decode()
    {
        var fields = RawStreamEntry.ToDictionary(entry);
        var parent = TraceContextCarrier.Extract(fields);
        var body = JsonSerializer.Deserialize<NewOrder>(fields[StreamFields.Payload], options.Json)!;
        return parent.ActivityContext.IsRemote ? body : throw new InvalidOperationException("no trace context decoded");
    }
}
