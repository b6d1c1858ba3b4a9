using Microsoft.Extensions.Options;
using OpenTelemetry;
using StackExchange.Redis;
using TradingAspire.MarketPrices;

namespace TradingAspire.Exchanges;

/// <summary>
/// Moves prices every 100 ms; every 300 ms publishes the last trade price per symbol and every
/// venue's listings and quotes to Redis.
/// </summary>
public sealed partial class MarketSimulator(
    PriceWalk walk, LastTradePrices lastPrices, VenueBoard board, IOptionsMonitor<ExchangeOptions> options, ILogger<MarketSimulator> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick);
        var ticks = 0;
        var failures = 0;
        do
        {
            var settings = options.CurrentValue;
            walk.Advance(Tick, settings.VolatilityBpsPerSqrtSecond, settings.Venues);
            if (ticks++ % 3 == 0)
            {
                try
                {
                    // Market data housekeeping is not part of any order's trace.
                    using (SuppressInstrumentationScope.Begin())
                    {
                        await lastPrices.SetAsync(walk.Mids());
                        await board.PublishAsync(VenueQuotes.Snapshot(walk, settings));
                    }

                    failures = 0;
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    if (failures++ % 40 == 0)
                    {
                        LogPublishFailed(ex);
                    }
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing last trade prices failed")]
    private partial void LogPublishFailed(Exception ex);
}
