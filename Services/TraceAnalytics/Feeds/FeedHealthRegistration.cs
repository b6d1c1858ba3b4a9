using TradingAspire.Contracts;
using TradingAspire.Messaging;

namespace TradingAspire.TraceAnalytics.Feeds;

public static class FeedHealthRegistration
{
    /// <summary>The consumer group of the trace store on <c>marketdata.health</c> (the AppHost's resource name).</summary>
    public const string ConsumerGroup = "trace-analytics";

    /// <summary>
    /// The feed-health view: its store and API always; the consumer of <c>marketdata.health</c> only when Redis is
    /// configured (ConnectionStrings:redis), untraced: a report every few seconds per venue is not worth a trace.
    /// </summary>
    public static IHostApplicationBuilder AddFeedHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IFeedHealthStore, DuckDbFeedHealthStore>();
        builder.Services.AddSingleton<FeedHealthService>();
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("redis")))
        {
            builder.AddStreamConsumer<FeedHealthReport, FeedHealthHandler>(Streams.MarketDataHealth, ConsumerGroup, ConsumerTracing.None);
        }

        return builder;
    }
}
