using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using StackExchange.Redis;
using TradingAspire.Contracts;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Messaging;

public static class MessagingRegistration
{
    /// <summary>
    /// Connects to Redis through Aspire (<c>AddRedisClient</c>: traced commands, health check),
    /// registers <see cref="IStreamPublisher"/> and the messaging telemetry.
    /// </summary>
    public static IHostApplicationBuilder AddRedisStreams(this IHostApplicationBuilder builder)
    {
        var options = new MessagingOptions();
        builder.Configuration.GetSection(MessagingOptions.Section).Bind(options);
        if (builder.Services.Any(s => s.ServiceType == typeof(MessagingOptions)))
        {
            return builder;
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new StreamPartitions(options.Partitions));
        builder.AddRedisClient(options.ConnectionName, configureSettings: s => s.DisableTracing = !TelemetrySetup.TracingEnabled(builder.Configuration), configureOptions: o =>
        {
            o.AbortOnConnectFail = false;
            o.UseThreadPool();
        });
        builder.Services.TryAddSingleton<IStreamPublisher, StreamPublisher>();
        builder.Services.TryAddSingleton<ReplicaAcknowledgement>();
        builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddSource(MessagingTelemetry.Name));
        builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddMeter(MessagingTelemetry.Name));
        return builder;
    }

    /// <summary>
    /// Consumes <paramref name="stream"/> as a member of consumer group <paramref name="group"/>,
    /// handing each entry to a scoped <typeparamref name="THandler"/>; <paramref name="tracing"/>
    /// <see cref="ConsumerTracing.None"/> leaves a housekeeping stream's entries out of the traces.
    /// </summary>
    public static IHostApplicationBuilder AddStreamConsumer<T, THandler>(
        this IHostApplicationBuilder builder, string stream, string group, ConsumerTracing tracing = ConsumerTracing.PerEntry)
        where THandler : class, IStreamHandler<T>
    {
        builder.AddRedisStreams();
        builder.Services.TryAddScoped<THandler>();
        AddConsumer<T, THandler>(builder, stream, group, tracing);
        return builder;
    }

    /// <summary>
    /// Consumes every partition of the order stream <paramref name="stream"/> (<c>orders.new</c> →
    /// <c>orders.new{p0}</c>, <c>orders.new{p1}</c>, … per <see cref="MessagingOptions.Partitions"/>), one
    /// consumer per partition; what a handler forwards goes to the same partition of its target stream.
    /// </summary>
    public static IHostApplicationBuilder AddPartitionedStreamConsumer<T, THandler>(
        this IHostApplicationBuilder builder, string stream, string group)
        where THandler : class, IStreamHandler<T>
    {
        builder.AddRedisStreams();
        builder.Services.TryAddScoped<THandler>();
        // The layout AddRedisStreams registered from Messaging:Partitions, the one every other part of the service uses.
        var partitions = (StreamPartitions)builder.Services.First(s => s.ServiceType == typeof(StreamPartitions)).ImplementationInstance!;
        foreach (var partition in partitions.AllStreams(stream))
        {
            AddConsumer<T, THandler>(builder, partition, group, ConsumerTracing.PerEntry);
        }

        // What a version before partitions left in the unpartitioned stream is finished, not stranded.
        AddConsumer<T, THandler>(builder, stream, group, ConsumerTracing.PerEntry, legacyForwardTag: partitions.Tag(0));
        return builder;
    }

    private static void AddConsumer<T, THandler>(IHostApplicationBuilder builder, string stream, string group, ConsumerTracing tracing, string? legacyForwardTag = null)
        where THandler : class, IStreamHandler<T>
    {
        builder.Services.AddSingleton<IHostedService>(sp => new StreamConsumer<T, THandler>(
            stream,
            group,
            tracing,
            sp.GetRequiredService<MessagingOptions>(),
            sp.GetRequiredService<IConnectionMultiplexer>(),
            sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<IStreamPublisher>(),
            sp.GetRequiredService<IConfiguration>(),
            sp.GetRequiredService<ILogger<StreamConsumer<T, THandler>>>(),
            legacyForwardTag));
    }
}
