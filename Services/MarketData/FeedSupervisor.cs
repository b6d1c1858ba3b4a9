using Microsoft.Extensions.Options;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.MarketData;

/// <summary>
/// Discovers the venues, then runs one independent connection loop per venue (each on its own task, so
/// one venue's fault or slowness never stalls another). A loop that fails unexpectedly is restarted.
/// </summary>
public sealed partial class FeedSupervisor(
    VenueDiscovery discovery,
    FeedRegistry registry,
    ExchangesAddress exchanges,
    FeedTelemetry telemetry,
    IOptions<MarketDataOptions> options,
    IOptionsMonitor<ServiceAuthOptions> serviceAuth,
    ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger logger = loggers.CreateLogger<FeedSupervisor>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IReadOnlyList<Contracts.VenueInfo> venues;
        try
        {
            venues = await discovery.DiscoverAsync(stoppingToken);
            var only = options.Value.Venues;
            if (only.Count > 0)
            {
                venues = venues.Where(v => only.Contains(v.Name, StringComparer.OrdinalIgnoreCase)).ToList();
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var loops = new List<Task>();
        foreach (var venue in venues)
        {
            var feed = registry.Add(venue.Name, venue.Symbols);
            var client = new VenueFeedClient(feed, exchanges.FeedFor(venue.Name), serviceAuth.CurrentValue.Key, telemetry, options.Value,
                loggers.CreateLogger($"{typeof(VenueFeedClient).FullName}.{venue.Name}"));
            loops.Add(Task.Run(() => KeepRunningAsync(venue.Name, client, stoppingToken), stoppingToken));
        }

        registry.MarkDiscovered();
        LogStarted(logger, venues.Count, string.Join(", ", venues.Select(v => v.Name)));
        await Task.WhenAll(loops).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task KeepRunningAsync(string venue, VenueFeedClient client, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await client.RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogLoopFailed(logger, ex, venue);
                try
                {
                    await Task.Delay(options.Value.Reconnect.BaseDelay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Following {Count} venue feeds: {Venues}")]
    private static partial void LogStarted(ILogger logger, int count, string venues);

    [LoggerMessage(Level = LogLevel.Error, Message = "The feed loop of {Venue} failed; restarting it")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception, string venue);
}
