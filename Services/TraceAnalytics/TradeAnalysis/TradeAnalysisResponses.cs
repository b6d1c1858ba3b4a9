namespace TradingAspire.TraceAnalytics.TradeAnalysis;

/// <summary>The answer of <c>GET /api/analysis/latency-slippage</c>: one regression of slippage on latency per venue.</summary>
/// <param name="Basis">Where latency starts: <c>signal</c> (the strategy span above the order, else the order's first span) or <c>order</c>.</param>
/// <param name="Method">How the figures are computed, in words (the interval is Student t with n − 2 degrees of freedom).</param>
public sealed record LatencySlippageResponse(DateTime From, DateTime To, string Basis, double Confidence, string Method, IReadOnlyList<VenueLatencySlippage> Venues);

/// <summary>A venue's orders: n, Pearson r, the OLS slope (bp per ms) with its interval, intercept (bp) and a sample of the points.</summary>
/// <param name="FromSignal">How many of the n latencies start at a strategy span (the rest at the order's first span).</param>
/// <param name="PValue">Two-sided p-value of the slope being 0 (t test, n − 2 degrees of freedom).</param>
public sealed record VenueLatencySlippage(
    string Venue, long N, long FromSignal, double? R, double? SlopeBpsPerMs, double? SlopeLow, double? SlopeHigh, double? InterceptBps, double? PValue,
    double MeanLatencyMs, double MeanSlippageBps, IReadOnlyList<LatencySlippagePoint> Points);

/// <summary>The answer of <c>GET /api/analysis/arbitrage</c>.</summary>
/// <param name="SuccessRate">Share of the arbitrages whose outcome is <c>both_filled</c>; null when there are none.</param>
/// <param name="StageBasis">How a stage's latency in one arbitrage is taken from its two legs, in words.</param>
/// <param name="Stages">Per pipeline stage, the correlation of its latency with lost edge; best explanation (largest r²) first.</param>
public sealed record ArbitrageResponse(
    DateTime From, DateTime To, long Total, double? SuccessRate, IReadOnlyList<ArbitrageOutcomeCount> Outcomes, ArbitrageEdge Edge,
    string LatencyBasis, IReadOnlyList<ArbitrageLatencyBucket> Buckets, string StageBasis, double Confidence, IReadOnlyList<StageLostEdge> Stages);

public sealed record ArbitrageOutcomeCount(string Outcome, long Count);

/// <summary>Means over the <paramref name="N"/> arbitrages that carry both an expected and a realised edge; lost = expected − realised.</summary>
public sealed record ArbitrageEdge(long N, double? MeanExpectedBps, double? MeanRealisedBps, double? MeanLostBps);

/// <summary>Arbitrages whose detection-to-last-fill latency is in [FromMs, ToMs) (ToMs null: no upper bound).</summary>
public sealed record ArbitrageLatencyBucket(double FromMs, double? ToMs, long Count, long BothFilled, double SuccessRate);

/// <summary>Lost edge (bp) regressed on a stage's latency (ms): r, r², slope (bp lost per ms) with its interval, p-value, over n arbitrages.</summary>
public sealed record StageLostEdge(string Stage, long N, double? R, double? RSquared, double? SlopeBpsPerMs, double? SlopeLow, double? SlopeHigh, double? PValue);

/// <summary>The answer of <c>GET /api/analysis/routing</c>: the routing policies' realised slippage side by side.</summary>
/// <param name="Difference">trace − static (bp) by Welch's t test; null unless both policies routed orders in the window.</param>
/// <param name="LatencyDifference">trace − static order-to-fill latency (ms, means only).</param>
public sealed record RoutingComparisonResponse(
    DateTime From, DateTime To, double Confidence, string Method, IReadOnlyList<RoutingArm> Policies, MeanDifference? Difference, double? LatencyDifferenceMs);

/// <summary>The filled orders one policy routed: n, mean slippage (bp) with its interval, standard deviation, mean latency to fill, and where they went.</summary>
public sealed record RoutingArm(
    string Policy, long N, double MeanSlippageBps, double? SlippageLow, double? SlippageHigh, double? StdDevBps, double MeanFillLatencyMs, IReadOnlyList<RoutingVenueShare> Venues);

/// <summary>A venue's share of a policy's filled orders and their mean slippage (bp).</summary>
public sealed record RoutingVenueShare(string Venue, long N, double Share, double MeanSlippageBps);
