using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.MarketData;

/// <summary>
/// The marketdata service's ActivitySource and Meter (<c>TradingAspire.MarketData</c>) and its instruments.
/// Counts the feed loops keep anyway (messages, out-of-order, crossed quotes, malformed frames, stale symbols)
/// are observed from <see cref="FeedCounters"/> when metrics are collected, so the hot path only increments a
/// field; rare events (gaps, disconnects, reconnects) are recorded directly.
/// </summary>
public sealed class FeedTelemetry : IDisposable
{
    public const string Name = "TradingAspire.MarketData";

    public FeedTelemetry(FeedRegistry registry, IOptions<MarketDataOptions> options)
    {
        var staleAfter = options.Value.StaleAfter;
        Source = new ActivitySource(Name);
        Meter = new Meter(Name);
        Latency = Meter.CreateHistogram<double>("trading.marketdata.feed.latency", "s",
            "Feed latency: receive time minus the venue's timestamp.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        Gaps = Meter.CreateCounter<long>("trading.marketdata.gaps", "{gap}", "Sequence gaps, by whether replay recovered them.");
        GapSize = Meter.CreateHistogram<long>("trading.marketdata.gap.size", "{message}", "Messages missing in one gap.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 1000, 10000, 100000] });
        Disconnects = Meter.CreateCounter<long>("trading.marketdata.disconnects", "{disconnect}", "Feed connections lost, by reason.");
        ReconnectDuration = Meter.CreateHistogram<double>("trading.marketdata.reconnect.duration", "s",
            "From a disconnect until the feed is subscribed again.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60] });

        Meter.CreateObservableCounter("trading.marketdata.messages", () => Observe(registry, static (feed, list) =>
        {
            var venue = new KeyValuePair<string, object?>(TradingAttributes.Venue, feed.Venue);
            list.Add(new(Volatile.Read(ref feed.Counters.Quotes), venue, new(TradingAttributes.FeedMessageType, "quote")));
            list.Add(new(Volatile.Read(ref feed.Counters.Trades), venue, new(TradingAttributes.FeedMessageType, "trade")));
            list.Add(new(Volatile.Read(ref feed.Counters.Heartbeats), venue, new(TradingAttributes.FeedMessageType, "heartbeat")));
            list.Add(new(Volatile.Read(ref feed.Counters.OtherMessages), venue, new(TradingAttributes.FeedMessageType, "other")));
        }), "{message}", "Feed messages received, by venue and type.");
        Meter.CreateObservableCounter("trading.marketdata.out_of_order", () => Observe(registry, static (feed, list) =>
            list.Add(new(Volatile.Read(ref feed.Counters.OutOfOrder), new KeyValuePair<string, object?>(TradingAttributes.Venue, feed.Venue)))),
            "{message}", "Live messages whose sequence number went backwards.");
        Meter.CreateObservableCounter("trading.marketdata.crossed_quotes", () => Observe(registry, static (feed, list) =>
            list.Add(new(Volatile.Read(ref feed.Counters.CrossedQuotes), new KeyValuePair<string, object?>(TradingAttributes.Venue, feed.Venue)))),
            "{quote}", "Quotes with bid ≥ ask (not used).");
        Meter.CreateObservableCounter("trading.marketdata.malformed_frames", () => Observe(registry, static (feed, list) =>
        {
            foreach (var kind in MalformedKinds.All)
            {
                list.Add(new(Volatile.Read(ref feed.Counters.Malformed[(int)kind]),
                    new KeyValuePair<string, object?>(TradingAttributes.Venue, feed.Venue), new("kind", kind.TagValue())));
            }
        }), "{frame}", "Frames not used: invalid JSON, unknown type, missing field, unknown symbol, huge, future timestamp, binary.");
        Meter.CreateObservableGauge("trading.marketdata.stale_symbols", () => Observe<int>(registry, (feed, list) =>
            list.Add(new(feed.StaleSymbols(staleAfter), new KeyValuePair<string, object?>(TradingAttributes.Venue, feed.Venue)))),
            "{symbol}", "Subscribed symbols without an update for StaleAfter (all of them while the feed is down).");
    }

    public ActivitySource Source { get; }
    public Meter Meter { get; }
    public Histogram<double> Latency { get; }
    public Counter<long> Gaps { get; }
    public Histogram<long> GapSize { get; }
    public Counter<long> Disconnects { get; }
    public Histogram<double> ReconnectDuration { get; }

    private static List<Measurement<T>> Observe<T>(FeedRegistry registry, Action<VenueFeed, List<Measurement<T>>> observe) where T : struct
    {
        var list = new List<Measurement<T>>();
        foreach (var feed in registry.All)
        {
            observe(feed, list);
        }

        return list;
    }

    private static List<Measurement<long>> Observe(FeedRegistry registry, Action<VenueFeed, List<Measurement<long>>> observe) =>
        Observe<long>(registry, observe);

    public void Dispose()
    {
        Source.Dispose();
        Meter.Dispose();
    }
}

public static class FeedTelemetryRegistration
{
    /// <summary>Registers <see cref="FeedTelemetry"/> and its source and meter with OpenTelemetry.</summary>
    public static IServiceCollection AddFeedTelemetry(this IServiceCollection services)
    {
        services.AddSingleton<FeedTelemetry>();
        services.ConfigureOpenTelemetryTracerProvider(t => t.AddSource(FeedTelemetry.Name));
        services.ConfigureOpenTelemetryMeterProvider(m => m.AddMeter(FeedTelemetry.Name));
        return services;
    }
}
