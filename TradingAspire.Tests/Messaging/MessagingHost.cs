using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;
using TradingAspire.Messaging;

namespace TradingAspire.Tests.Messaging;

public sealed record Ping(string Id, int Value);

/// <summary>What the test handler should do with each delivery, and what it saw.</summary>
public sealed class HandlerProbe
{
    public Func<StreamMessage<Ping>, Task> Behaviour { get; set; } = _ => Task.CompletedTask;
    public ConcurrentQueue<(StreamMessage<Ping> Message, ActivityTraceId TraceId, string? Baggage)> Deliveries { get; } = new();
}

public sealed class ProbeHandler(HandlerProbe probe) : IStreamHandler<Ping>
{
    public async Task HandleAsync(StreamMessage<Ping> message, CancellationToken cancellationToken)
    {
        probe.Deliveries.Enqueue((message, Activity.Current?.TraceId ?? default, Baggage.GetBaggage("trading.order_id")));
        await probe.Behaviour(message);
    }
}

/// <summary>Collects every span that ends, from any source.</summary>
public sealed class SpanCollector : BaseProcessor<Activity>
{
    public ConcurrentQueue<Activity> Spans { get; } = new();

    public override void OnEnd(Activity activity) => Spans.Enqueue(activity);
}

/// <summary>A generic host running one stream consumer against the test's redis-server, with tracing on.</summary>
public sealed class MessagingHost : IAsyncDisposable
{
    private readonly IHost host;
    private readonly TracerProvider tracing;

    public MessagingHost(string connectionString, string stream, string group, HandlerProbe probe, IDictionary<string, string?>? settings = null,
        ConsumerTracing consumerTracing = ConsumerTracing.PerEntry, bool partitioned = false)
    {
        Collector = new SpanCollector();
        tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(MessagingTelemetry.Name, "Test")
            .AddProcessor(Collector)
            .Build();

        var builder = Host.CreateApplicationBuilder();
        var config = new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = connectionString,
            ["Messaging:MaxDeliveries"] = "3",
            ["Messaging:RetryBaseDelay"] = "00:00:00.020",
            ["Messaging:HousekeepingInterval"] = "00:00:00.200",
            ["Messaging:ClaimIdleTime"] = "00:00:00.500",
            ["Messaging:BlockTime"] = "00:00:00.500",
            ["Aspire:StackExchange:Redis:DisableTracing"] = "true",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(config);
        builder.Services.AddSingleton(probe);
        if (partitioned)
        {
            builder.AddPartitionedStreamConsumer<Ping, ProbeHandler>(stream, group);
        }
        else
        {
            builder.AddStreamConsumer<Ping, ProbeHandler>(stream, group, consumerTracing);
        }
        host = builder.Build();
        Publisher = host.Services.GetRequiredService<IStreamPublisher>();
    }

    public SpanCollector Collector { get; }
    public IStreamPublisher Publisher { get; }

    public Task StartAsync() => host.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
        tracing.Dispose();
    }
}
