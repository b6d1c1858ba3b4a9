using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using StackExchange.Redis;
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
        builder.AddRedisClient(options.ConnectionName, configureSettings: s => s.DisableTracing = !TelemetrySetup.TracingEnabled(builder.Configuration), configureOptions: o =>
        {
            o.AbortOnConnectFail = false;
            o.UseThreadPool();
        });
        builder.Services.TryAddSingleton<IStreamPublisher, StreamPublisher>();
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
        builder.Services.AddSingleton<IHostedService>(sp => new StreamConsumer<T, THandler>(
            stream,
            group,
            tracing,
            sp.GetRequiredService<MessagingOptions>(),
            sp.GetRequiredService<IConnectionMultiplexer>(),
            sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<IStreamPublisher>(),
            sp.GetRequiredService<IConfiguration>(),
            sp.GetRequiredService<ILogger<StreamConsumer<T, THandler>>>()));
        return builder;
    }
}
