using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TradingAspire.AppHost;

/// <summary>
/// The venue feeds on the marketdata resource's dashboard page: a resource health check that asks the service's
/// <c>GET /feeds/health</c> and maps its feed states (up / degraded / down) to Healthy / Degraded / Unhealthy, the
/// description naming each venue's state (the AppHost does not know the venues; the exchanges service lists
/// them at run time). Beside the plain <c>/health</c> check, which answers 200 for Degraded (ASP.NET default).
/// </summary>
public static class MarketDataFeedsHealth
{
    public const string CheckName = "marketdata-feeds";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(3) };

    public static IResourceBuilder<ProjectResource> WithFeedHealthCheck(this IResourceBuilder<ProjectResource> marketData)
    {
        var endpoint = marketData.GetEndpoint("http");
        marketData.ApplicationBuilder.Services.AddHealthChecks().AddAsyncCheck(CheckName, async cancellationToken =>
        {
            if (!endpoint.IsAllocated)
            {
                return HealthCheckResult.Unhealthy("Endpoint not allocated yet.");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri(new Uri(endpoint.Url), "/feeds/health"), cancellationToken);
                var feeds = await response.Content.ReadFromJsonAsync<FeedsHealth>(cancellationToken);
                if (feeds is null)
                {
                    return HealthCheckResult.Unhealthy($"GET /feeds/health answered {(int)response.StatusCode} without a body.");
                }

                var description = feeds.Venues.Count == 0
                    ? "No venue discovered yet."
                    : string.Join(", ", feeds.Venues.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key} {v.Value}"));
                return feeds.Status switch
                {
                    "up" => HealthCheckResult.Healthy(description),
                    "degraded" => HealthCheckResult.Degraded(description),
                    _ => HealthCheckResult.Unhealthy(description),
                };
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
                return HealthCheckResult.Unhealthy($"GET /feeds/health failed: {ex.Message}");
            }
        });
        return marketData.WithHealthCheck(CheckName);
    }

    private sealed record FeedsHealth(string Status, Dictionary<string, string> Venues);
}
