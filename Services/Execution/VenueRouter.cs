using System.Globalization;
using TradingAspire.Contracts;

namespace TradingAspire.Execution;

/// <summary>One venue considered for a child order.</summary>
public sealed record RouteCandidate(string Venue, decimal Price, double PriceCostBps, double LatencyMs, double Score);

/// <summary>
/// Ranks venues for an order by what it would cost there: the price at the touch relative to the
/// best touch (bps), plus expected latency priced per venue (<c>LatencyPenaltyBpsPerMs</c>, or what the trace store
/// measured a ms to cost there: <see cref="RoutePricing"/>). Venues that do
/// not list the symbol, were already tried, or whose price a limit order does not cross are left out.
/// Pure: unit-tested directly.
/// </summary>
public static class VenueRouter
{
    public static IReadOnlyList<RouteCandidate> Rank(
        NewOrder order,
        IReadOnlyList<VenueInfo> venues,
        Func<string, double?> latencyMs,
        ISet<string> exclude,
        double latencyPenaltyBpsPerMs,
        double unknownLatencyMs) =>
        Rank(order, venues, latencyMs, exclude, _ => latencyPenaltyBpsPerMs, unknownLatencyMs);

    /// <summary>As above, with each venue's latency priced at its own bp per ms (<see cref="RoutePricing"/>).</summary>
    public static IReadOnlyList<RouteCandidate> Rank(
        NewOrder order,
        IReadOnlyList<VenueInfo> venues,
        Func<string, double?> latencyMs,
        ISet<string> exclude,
        Func<string, double> latencyPenaltyBpsPerMs,
        double unknownLatencyMs)
    {
        var priced = new List<(string Venue, decimal Price, double Latency)>();
        foreach (var venue in venues)
        {
            if (exclude.Contains(venue.Name) || !venue.Quotes.TryGetValue(order.Symbol, out var quote))
            {
                continue;
            }

            var touch = order.Side == OrderSide.Buy ? quote.Ask : quote.Bid;
            if (touch <= 0)
            {
                continue;
            }

            if (order.Type == OrderType.Limit && order.LimitPrice is { } limit &&
                (order.Side == OrderSide.Buy ? limit < touch : limit > touch))
            {
                continue;
            }

            priced.Add((venue.Name, touch, latencyMs(venue.Name) ?? unknownLatencyMs));
        }

        if (priced.Count == 0)
        {
            return [];
        }

        var best = order.Side == OrderSide.Buy ? priced.Min(p => p.Price) : priced.Max(p => p.Price);
        return priced
            .Select(p =>
            {
                var cost = (double)(order.Side == OrderSide.Buy ? (p.Price - best) / best : (best - p.Price) / best) * 10_000;
                return new RouteCandidate(p.Venue, p.Price, Math.Round(cost, 3), Math.Round(p.Latency, 3),
                    Math.Round(cost + p.Latency * latencyPenaltyBpsPerMs(p.Venue), 3));
            })
            .OrderBy(c => c.Score)
            .ThenBy(c => c.Venue, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>"kraken score 0.9 (0.2 bps, 23 ms); binance …" for the route span.</summary>
    public static string Describe(IEnumerable<RouteCandidate> candidates) =>
        string.Join("; ", candidates.Select(c => string.Create(CultureInfo.InvariantCulture,
            $"{c.Venue} score {c.Score} ({c.PriceCostBps} bps, {c.LatencyMs} ms)")));
}
