using Microsoft.Extensions.Options;

namespace TradingAspire.Exchanges;

/// <summary>
/// Moves prices every 100 ms. The venues' feeds send these prices to the market-data service, and the
/// venues fill against the same ones: there is no other copy of them.
/// </summary>
public sealed class MarketSimulator(PriceWalk walk, IOptionsMonitor<ExchangeOptions> options) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick);
        do
        {
            var settings = options.CurrentValue;
            walk.Advance(Tick, settings.VolatilityBpsPerSqrtSecond, settings.Venues);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default));
    }
}
