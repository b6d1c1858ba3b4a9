using System.Collections.Concurrent;
using TradingAspire.MarketPrices;
using TradingAspire.Contracts;

namespace TradingAspire.Execution;

/// <summary>The latest listings and quotes of every venue, and each venue's recently observed latency.</summary>
public sealed class VenueCatalog(TimeProvider time, Microsoft.Extensions.Options.IOptionsMonitor<ExecutionOptions> options)
{
    private readonly ConcurrentDictionary<string, (double Ms, DateTimeOffset At)> latencyEwma = new(StringComparer.OrdinalIgnoreCase);
    private volatile IReadOnlyList<VenueInfo> venues = [];

    public IReadOnlyList<VenueInfo> Venues => venues;
    public DateTimeOffset? RefreshedAt { get; private set; }

    public void Update(IReadOnlyList<VenueInfo> latest)
    {
        venues = latest;
        RefreshedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>Folds one observed round trip into the venue's moving average (α = 0.2).</summary>
    public void ObserveLatency(string venue, double milliseconds)
    {
        var now = time.GetUtcNow();
        latencyEwma.AddOrUpdate(venue, (milliseconds, now), (_, previous) => (LatencyAt(previous, now) * 0.8 + milliseconds * 0.2, now));
    }

    /// <summary>
    /// The venue's expected latency: its moving average, fading back toward the prior for an unknown
    /// venue as the observation ages (half-life <c>Execution:LatencyMemory</c>), so a venue that was
    /// slow once is tried again rather than starved forever.
    /// </summary>
    public double? LatencyMs(string venue) =>
        latencyEwma.TryGetValue(venue, out var observed) ? LatencyAt(observed, time.GetUtcNow()) : null;

    private double LatencyAt((double Ms, DateTimeOffset At) observed, DateTimeOffset now)
    {
        var settings = options.CurrentValue;
        var halfLives = (now - observed.At).TotalSeconds / Math.Max(1, settings.LatencyMemory.TotalSeconds);
        return settings.UnknownVenueLatencyMs + (observed.Ms - settings.UnknownVenueLatencyMs) * Math.Pow(0.5, halfLives);
    }
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
