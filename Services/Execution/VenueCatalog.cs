using System.Collections.Concurrent;
using TradingAspire.MarketPrices;
using TradingAspire.Contracts;

namespace TradingAspire.Execution;

/// <summary>The latest listings and quotes of every venue, and each venue's recently observed latency.</summary>
public sealed class VenueCatalog
{
    private readonly ConcurrentDictionary<string, double> latencyEwmaMs = new(StringComparer.OrdinalIgnoreCase);
    private volatile IReadOnlyList<VenueInfo> venues = [];

    public IReadOnlyList<VenueInfo> Venues => venues;
    public DateTimeOffset? RefreshedAt { get; private set; }

    public void Update(IReadOnlyList<VenueInfo> latest)
    {
        venues = latest;
        RefreshedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>Folds one observed round trip into the venue's moving average (α = 0.2).</summary>
    public void ObserveLatency(string venue, double milliseconds) =>
        latencyEwmaMs.AddOrUpdate(venue, milliseconds, (_, previous) => previous * 0.8 + milliseconds * 0.2);

    public double? LatencyMs(string venue) => latencyEwmaMs.TryGetValue(venue, out var ms) ? ms : null;
}

/// <summary>Refreshes <see cref="VenueCatalog"/> from the exchanges' venue board in Redis, outside any trace.</summary>
public sealed partial class VenueCatalogRefresher(
    VenueCatalog catalog, VenueBoard board, Microsoft.Extensions.Options.IOptions<ExecutionOptions> options,
    ILogger<VenueCatalogRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                catalog.Update(await board.ReadAsync());
                failures = 0;
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException or System.Text.Json.JsonException)
            {
                if (failures++ % 30 == 0)
                {
                    LogRefreshFailed(ex);
                }
            }

            try
            {
                await Task.Delay(catalog.Venues.Count == 0 ? TimeSpan.FromMilliseconds(250) : options.Value.CatalogRefreshInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing venue listings and quotes failed")]
    private partial void LogRefreshFailed(Exception ex);
}
