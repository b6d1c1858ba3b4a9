using TradingAspire.TraceAnalytics.Query;

namespace TradingAspire.TraceAnalytics.TradeAnalysis;

/// <summary>Where latency is measured from for <c>/api/analysis/latency-slippage</c>.</summary>
public enum LatencyBasis
{
    /// <summary>From the strategy span above the order (signal-to-fill); from the order's first span when it has none.</summary>
    Signal,
    /// <summary>From the order's first span (the order trace's root, strategy spans aside).</summary>
    Order,
}

/// <summary>The sufficient statistics of a regression of y on x: n, means and centred sums of squares and products.</summary>
public sealed record RegressionMoments(long N, double MeanX, double MeanY, double Sxx, double Syy, double Sxy)
{
    public LinearFit? Fit() => LinearFit.FromMoments(N, MeanX, MeanY, Sxx, Syy, Sxy);
}

/// <summary>One order: its latency to fill (ms), its slippage (bp), and whether the latency starts at a strategy span.</summary>
public sealed record LatencySlippagePoint(string TraceId, string OrderId, double LatencyMs, double SlippageBps, bool FromSignal);

/// <summary>A venue's orders: the moments over all of them, how many were measured from a strategy span, and a sample of points.</summary>
public sealed record VenueLatencySlippageData(string Venue, RegressionMoments Moments, long FromSignal, IReadOnlyList<LatencySlippagePoint> Points);

public sealed record ArbitrageOutcomeRow(string Outcome, long Count, long WithEdges, double? MeanExpectedBps, double? MeanRealisedBps);

/// <summary>Arbitrages whose latency fell in bucket <paramref name="Index"/> (of the edges asked for), and how many filled both legs.</summary>
public sealed record ArbitrageBucketRow(int Index, long Count, long BothFilled);

/// <summary>Lost edge (y, bp) against a stage's latency (x, ms) over the arbitrages that went through it.</summary>
public sealed record StageEdgeRow(string Stage, RegressionMoments Moments);

public sealed record ArbitrageData(IReadOnlyList<ArbitrageOutcomeRow> Outcomes, IReadOnlyList<ArbitrageBucketRow> Buckets, IReadOnlyList<StageEdgeRow> Stages);

/// <summary>Filled orders routed under one policy (and at one venue; <paramref name="Venue"/> null on a policy's total): n, slippage mean and sample variance (bp), mean latency to fill (ms).</summary>
public sealed record RoutingPolicyRow(string Policy, string? Venue, long N, double MeanBps, double? VarianceBps, double MeanLatencyMs);

/// <summary>The aggregates behind the trade analyses (<see cref="TradeAnalysisSql"/>), computed in the store.</summary>
public interface ITradeAnalysisStore
{
    /// <summary>Per venue, the orders of the window with a fill and a slippage; at most <paramref name="maxPoints"/> points each.</summary>
    Task<IReadOnlyList<VenueLatencySlippageData>> GetLatencySlippageAsync(TimeWindow window, LatencyBasis basis, int maxPoints, CancellationToken cancellationToken = default);

    /// <summary>The window's arbitrages: by outcome, by latency bucket (upper bounds <paramref name="bucketEdgesMs"/>) and lost edge per stage.</summary>
    Task<ArbitrageData> GetArbitrageAsync(TimeWindow window, IReadOnlyList<double> bucketEdgesMs, CancellationToken cancellationToken = default);

    /// <summary>The window's filled orders by routing policy, and by policy and venue.</summary>
    Task<IReadOnlyList<RoutingPolicyRow>> GetRoutingPoliciesAsync(TimeWindow window, CancellationToken cancellationToken = default);
}
