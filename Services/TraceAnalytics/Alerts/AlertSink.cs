using TradingAspire.Contracts;
using TradingAspire.Messaging;

namespace TradingAspire.TraceAnalytics.Alerts;

/// <summary>Where fired and resolved alerts go besides the store.</summary>
public interface IAlertSink
{
    Task PublishAsync(LatencyAlert alert, CancellationToken cancellationToken);
}

/// <summary>The Redis stream <c>alerts</c>, which the notification service consumes and pushes to subscribers.</summary>
public sealed class StreamAlertSink(IStreamPublisher publisher) : IAlertSink
{
    public Task PublishAsync(LatencyAlert alert, CancellationToken cancellationToken) =>
        publisher.PublishAsync(Streams.Alerts, alert, cancellationToken);
}

/// <summary>Without Redis (ConnectionStrings:redis not set) alerts are only recorded in the store.</summary>
public sealed class StoreOnlyAlertSink : IAlertSink
{
    public Task PublishAsync(LatencyAlert alert, CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class AlertRegistration
{
    /// <summary>Alert rules (section <c>TraceAnalytics:Alerts</c>), their evaluation, store, metrics and API.</summary>
    public static IHostApplicationBuilder AddTraceAlerts(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<AlertOptions>(builder.Configuration.GetSection(AlertOptions.Section));
        builder.Services.AddSingleton<IAlertStore, DuckDbAlertStore>();
        builder.Services.AddSingleton<AlertMetrics>();
        builder.Services.AddSingleton(TimeProvider.System);
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("redis")))
        {
            builder.AddRedisStreams();
            builder.Services.AddSingleton<IAlertSink, StreamAlertSink>();
        }
        else
        {
            builder.Services.AddSingleton<IAlertSink, StoreOnlyAlertSink>();
        }

        builder.Services.AddSingleton<AlertEvaluator>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AlertEvaluator>());
        return builder;
    }
}
