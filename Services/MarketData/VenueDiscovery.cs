using System.Net.Http.Json;
using TradingAspire.Contracts;

namespace TradingAspire.MarketData;

/// <summary>Asks the exchanges service which venues there are and what they list (<c>GET /venues</c>), until it answers.</summary>
public sealed partial class VenueDiscovery(HttpClient http, Microsoft.Extensions.Options.IOptions<MarketDataOptions> options, ILogger<VenueDiscovery> logger)
{
    public async Task<IReadOnlyList<VenueInfo>> DiscoverAsync(CancellationToken cancellationToken)
    {
        var backoff = new ReconnectBackoff(options.Value.Reconnect.BaseDelay, options.Value.Reconnect.MaxDelay);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var venues = await http.GetFromJsonAsync<List<VenueInfo>>("venues", TradingJson.Options, cancellationToken);
                if (venues is { Count: > 0 })
                {
                    return venues;
                }

                LogNoVenues(logger);
            }
            catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                LogUnavailable(logger, attempt, ex.Message);
            }

            await Task.Delay(backoff.DelayFor(attempt), cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The exchanges service listed no venues; asking again")]
    private static partial void LogNoVenues(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Venue discovery attempt {Attempt} failed: {Error}")]
    private static partial void LogUnavailable(ILogger logger, int attempt, string error);
}
