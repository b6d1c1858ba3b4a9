using MathNet.Numerics.Distributions;

namespace TradingAspire.Exchanges;

/// <summary>A venue's response time: log-normal around its median, with occasional slow outliers.</summary>
public static class LatencyModel
{
    public static TimeSpan Sample(VenueOptions venue, Random random)
    {
        var mu = Math.Log(Math.Max(0.1, venue.LatencyMedianMs));
        var ms = LogNormal.Sample(random, mu, Math.Max(0, venue.LatencySigma));
        if (random.NextDouble() < venue.OutlierProbability)
        {
            ms *= Math.Max(1, venue.OutlierMultiplier);
        }

        // Capped well inside VenueExecutions.ClaimTimeout, so an accepted child order always completes its claim.
        return TimeSpan.FromMilliseconds(Math.Min(ms, 5_000));
    }
}
