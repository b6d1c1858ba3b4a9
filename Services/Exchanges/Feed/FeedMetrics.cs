using System.Diagnostics.Metrics;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Exchanges.Feed;

/// <summary>The venue feeds' metrics on the exchanges' Meter; counts are added per batch, not per message.</summary>
public sealed class FeedMetrics
{
    private readonly Counter<long> sent;
    private readonly UpDownCounter<long> connections;
    private readonly Counter<long> slowConsumers;

    public FeedMetrics(ServiceTelemetry telemetry)
    {
        sent = telemetry.Meter.CreateCounter<long>("trading.feed.messages.sent", "{message}", "Messages a venue feed sent to its clients.");
        connections = telemetry.Meter.CreateUpDownCounter<long>("trading.feed.connections", "{connection}", "Open venue feed connections.");
        slowConsumers = telemetry.Meter.CreateCounter<long>("trading.feed.slow_consumer.disconnects", "{connection}",
            "Connections a venue closed because their send buffer filled.");
    }

    public void Sent(string venue, long count)
    {
        if (count > 0)
        {
            sent.Add(count, new KeyValuePair<string, object?>(TradingAttributes.Venue, venue));
        }
    }

    public void Connected(string venue) => connections.Add(1, new KeyValuePair<string, object?>(TradingAttributes.Venue, venue));

    public void Disconnected(string venue) => connections.Add(-1, new KeyValuePair<string, object?>(TradingAttributes.Venue, venue));

    public void SlowConsumer(string venue) => slowConsumers.Add(1, new KeyValuePair<string, object?>(TradingAttributes.Venue, venue));
}
