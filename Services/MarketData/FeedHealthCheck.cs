using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TradingAspire.Contracts;

namespace TradingAspire.MarketData;

/// <summary>
/// The venue feeds in the service's <c>/health</c>: Unhealthy when a feed is down (or no venue was discovered
/// yet), Degraded when one has stale symbols or gapped within <c>GapDegradedFor</c>, else Healthy. The data
/// names each venue's state, and the description the venues that are not up.
/// </summary>
public sealed class FeedHealthCheck(FeedRegistry registry, IOptions<MarketDataOptions> options) : IHealthCheck
{
    public const string Name = "feeds";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!registry.Discovered)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The venues are not discovered yet (the exchanges service has not answered GET /venues)."));
        }

        var data = new Dictionary<string, object>();
        var worst = HealthStatus.Healthy;
        var notUp = new List<string>();
        foreach (var feed in registry.All)
        {
            var state = feed.State(options.Value.StaleAfter, options.Value.GapDegradedFor);
            data[feed.Venue] = state;
            var status = ToStatus(state);
            if (status < worst)
            {
                worst = status;
            }

            if (state != FeedStates.Up)
            {
                notUp.Add($"{feed.Venue} {state}");
            }
        }

        var description = notUp.Count == 0 ? "Every venue feed is up." : string.Join(", ", notUp);
        return Task.FromResult(new HealthCheckResult(worst, description, data: data));
    }

    public static HealthStatus ToStatus(string state) => state switch
    {
        FeedStates.Up => HealthStatus.Healthy,
        FeedStates.Degraded => HealthStatus.Degraded,
        _ => HealthStatus.Unhealthy,
    };
}
