using System.Collections.Concurrent;

namespace TradingAspire.Strategy;

/// <summary>
/// What the strategy loop did since start, for <c>GET /strategy/stats</c>: book evaluations, opportunities and signals it
/// acted on per venue, and quotes it refused per reason and venue. Plain counters (the metrics say the same over time).
/// </summary>
public sealed class StrategyStats
{
    private readonly ConcurrentDictionary<string, long> arbitrages = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, long> signals = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string Reason, string Venue), long> suppressed = new();
    private long evaluations;

    public void Evaluated() => Interlocked.Increment(ref evaluations);

    /// <summary>An arbitrage acted on: counted for both of its venues.</summary>
    public void Arbitrage(ArbitrageOpportunity opportunity)
    {
        arbitrages.AddOrUpdate(opportunity.Buy.Venue, 1, static (_, n) => n + 1);
        arbitrages.AddOrUpdate(opportunity.Sell.Venue, 1, static (_, n) => n + 1);
    }

    public void Signal(DirectionalSignal signal) => signals.AddOrUpdate(signal.Quote.Venue, 1, static (_, n) => n + 1);

    public void Suppressed(string reason, string venue) => suppressed.AddOrUpdate((reason, venue), 1, static (_, n) => n + 1);

    public StrategyStatsView View() => new(
        Interlocked.Read(ref evaluations),
        new SortedDictionary<string, long>(arbitrages, StringComparer.Ordinal),
        new SortedDictionary<string, long>(signals, StringComparer.Ordinal),
        suppressed.GroupBy(s => s.Key.Reason, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, long>)g.ToDictionary(s => s.Key.Venue, s => s.Value), StringComparer.Ordinal));
}

/// <summary><c>GET /strategy/stats</c>.</summary>
/// <param name="Evaluations">Times the loop read the book.</param>
/// <param name="ArbitragesByVenue">Arbitrage opportunities acted on, per venue of either leg.</param>
/// <param name="SignalsByVenue">Directional signals acted on, per venue of the triggering quote.</param>
/// <param name="Suppressed">Quotes that triggered nothing, per reason (<c>stale</c>, <c>too_old</c>, <c>crossed</c>) and venue.</param>
public sealed record StrategyStatsView(
    long Evaluations,
    IReadOnlyDictionary<string, long> ArbitragesByVenue,
    IReadOnlyDictionary<string, long> SignalsByVenue,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Suppressed);
