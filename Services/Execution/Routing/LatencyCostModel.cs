using Microsoft.Extensions.Options;

namespace TradingAspire.Execution;

/// <summary>One venue's measured cost of latency: the trace store's fit of slippage (bp) on order-to-fill latency (ms).</summary>
/// <param name="PenaltyBpsPerMs">What routing charges per ms there: the slope, floored at 0; null (static price) below the sample minimum or without a fit.</param>
public sealed record VenueLatencyCost(
    string Venue, long N, double? SlopeBpsPerMs, double? SlopeLow, double? SlopeHigh, double? PValue, double MeanLatencyMs, double MeanSlippageBps, double? PenaltyBpsPerMs);

/// <summary>The per-venue latency costs fetched at <paramref name="ComputedAt"/> over <paramref name="Window"/>.</summary>
public sealed record LatencyCostSnapshot(DateTimeOffset ComputedAt, TimeSpan Window, IReadOnlyDictionary<string, VenueLatencyCost> Venues)
{
    /// <summary>
    /// The price of a ms at a venue not measured yet: the measured venues' prices weighted by their orders (the market's cost
    /// of a ms), so one venue is not favoured just because it has been measured; null when no venue has been.
    /// </summary>
    public double? UnmeasuredBpsPerMs { get; } = Pooled(Venues.Values);

    private static double? Pooled(IEnumerable<VenueLatencyCost> venues)
    {
        var measured = venues.Where(v => v.PenaltyBpsPerMs is not null).ToList();
        var n = measured.Sum(v => v.N);
        return n == 0 ? null : measured.Sum(v => v.PenaltyBpsPerMs!.Value * v.N) / n;
    }
}

/// <summary>
/// The latency price routing uses per venue under the <c>trace</c> policy, refreshed from the trace store by
/// <see cref="LatencyCostRefresher"/>. Reading it is a volatile read and a dictionary lookup: cheap on the routing path.
/// </summary>
public sealed class LatencyCostModel(IOptionsMonitor<RoutingOptions> options, TimeProvider time)
{
    private volatile LatencyCostSnapshot? current;

    public LatencyCostSnapshot? Current => current;

    public void Update(LatencyCostSnapshot snapshot) => current = snapshot;

    /// <summary>
    /// The measured price of a ms at <paramref name="venue"/>; for a venue not measured yet the measured venues' pooled price;
    /// <paramref name="fallback"/> (the static price) when none is measured or the model is too old.
    /// </summary>
    public double PenaltyFor(string venue, double fallback)
    {
        var snapshot = current;
        if (snapshot is null || time.GetUtcNow() - snapshot.ComputedAt > options.CurrentValue.ModelMaxAge)
        {
            return fallback;
        }

        return snapshot.Venues.TryGetValue(venue, out var cost) && cost.PenaltyBpsPerMs is { } penalty ? penalty : snapshot.UnmeasuredBpsPerMs ?? fallback;
    }

    /// <summary>The routing price from a venue's fit: its slope floored at 0 (latency never pays), once it has enough orders.</summary>
    public static double? Penalty(long n, double? slope, int minSamples) =>
        n >= minSamples && slope is { } s && double.IsFinite(s) ? Math.Max(0, s) : null;
}
