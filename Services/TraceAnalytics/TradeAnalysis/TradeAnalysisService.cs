using TradingAspire.Contracts;
using TradingAspire.TraceAnalytics.Query;

namespace TradingAspire.TraceAnalytics.TradeAnalysis;

/// <summary>The trade analyses: the store's aggregates (<see cref="ITradeAnalysisStore"/>) turned into fits by <see cref="LinearFit"/>.</summary>
public sealed class TradeAnalysisService(ITradeAnalysisStore store)
{
    /// <summary>Upper bounds (ms) of the arbitrage latency buckets; the last bucket has none.</summary>
    public static readonly IReadOnlyList<double> BucketEdgesMs = [5, 10, 20, 50, 100, 200, 500, 1000];

    public const string LatencySlippageMethod =
        "Per venue, ordinary least squares of slippage (bp) on latency (ms) over every order in the window; r is Pearson's. " +
        "The slope's interval is slope ± t(0.975, n − 2) · SE (Student t with n − 2 degrees of freedom, SE = √(RSS / (n − 2) / Sxx)); " +
        "the p-value tests slope = 0. Latency ends at the end of the order's last venue.match; points are a deterministic sample (hash of trace and order id).";

    public const string ArbitrageLatencyBasis = "trading.signal.to_fill_ms on the arbitrage span (detection to last fill), else the arbitrage span's duration";

    public const string ArbitrageStageBasis =
        "the slower leg: per arbitrage, the larger of the two legs' time in the stage (a leg's time is the summed own time of the stage's spans below its arbitrage.leg span: " +
        "a span's duration less what its nearest stage descendants cover, so order.execute does not repeat venue.match); " +
        "lost edge = expected − realised edge (bp), regressed on it by ordinary least squares, interval Student t with n − 2 degrees of freedom";

    public const string RoutingMethod =
        "Filled orders by the policy that priced latency when execution routed them (trading.route.policy, static or trace; under ab each order's arm is " +
        "set by a hash of its id, so both arms share the period). Slippage is execution's, against the arrival price (bp, positive = worse); a mean's interval " +
        "is Student t with n − 1 degrees of freedom; the difference trace − static is Welch's t test. Latency is the order's first span to its last venue.match.";

    public async Task<RoutingComparisonResponse> GetRoutingAsync(TimeWindow window, CancellationToken cancellationToken = default)
    {
        var rows = await store.GetRoutingPoliciesAsync(window, cancellationToken).ConfigureAwait(false);
        var arms = rows.Where(r => r.Venue is null).OrderBy(r => r.Policy, StringComparer.Ordinal).Select(total =>
        {
            var (low, high) = MeanDifference.MeanInterval(total.N, total.MeanBps, total.VarianceBps);
            var venues = rows.Where(r => r.Venue is not null && r.Policy == total.Policy)
                .Select(r => new RoutingVenueShare(r.Venue!, r.N, (double)r.N / total.N, r.MeanBps))
                .OrderByDescending(v => v.N).ThenBy(v => v.Venue, StringComparer.Ordinal).ToList();
            return new RoutingArm(total.Policy, total.N, total.MeanBps, low, high, total.VarianceBps is { } v ? Math.Sqrt(v) : null, total.MeanLatencyMs, venues);
        }).ToList();

        var staticArm = rows.FirstOrDefault(r => r.Venue is null && r.Policy == "static");
        var traceArm = rows.FirstOrDefault(r => r.Venue is null && r.Policy == "trace");
        var difference = staticArm is null || traceArm is null ? null
            : MeanDifference.Welch(staticArm.N, staticArm.MeanBps, staticArm.VarianceBps, traceArm.N, traceArm.MeanBps, traceArm.VarianceBps);
        return new RoutingComparisonResponse(window.From, window.To, LinearFit.DefaultConfidence, RoutingMethod, arms, difference,
            staticArm is null || traceArm is null ? null : traceArm.MeanLatencyMs - staticArm.MeanLatencyMs);
    }

    public async Task<LatencySlippageResponse> GetLatencySlippageAsync(LatencySlippageQuery query, CancellationToken cancellationToken = default)
    {
        var venues = await store.GetLatencySlippageAsync(query.Window, query.Basis, query.MaxPoints, cancellationToken).ConfigureAwait(false);
        return new LatencySlippageResponse(
            query.Window.From, query.Window.To, query.Basis.ToString().ToLowerInvariant(), LinearFit.DefaultConfidence, LatencySlippageMethod,
            venues.Select(v =>
            {
                var fit = v.Moments.Fit();
                return new VenueLatencySlippage(v.Venue, v.Moments.N, v.FromSignal, fit?.R, fit?.Slope, fit?.SlopeLow, fit?.SlopeHigh, fit?.Intercept, fit?.PValue,
                    v.Moments.MeanX, v.Moments.MeanY, v.Points);
            }).ToList());
    }

    public async Task<ArbitrageResponse> GetArbitrageAsync(TimeWindow window, CancellationToken cancellationToken = default)
    {
        var data = await store.GetArbitrageAsync(window, BucketEdgesMs, cancellationToken).ConfigureAwait(false);
        var total = data.Outcomes.Sum(o => o.Count);
        var bothFilled = data.Outcomes.Where(o => o.Outcome == StrategySpans.Outcomes.BothFilled).Sum(o => o.Count);
        var withEdges = data.Outcomes.Where(o => o.WithEdges > 0).ToList();
        var edgeCount = withEdges.Sum(o => o.WithEdges);
        double? Mean(Func<ArbitrageOutcomeRow, double?> value) =>
            edgeCount == 0 ? null : withEdges.Sum(o => (value(o) ?? 0) * o.WithEdges) / edgeCount;
        var expected = Mean(o => o.MeanExpectedBps);
        var realised = Mean(o => o.MeanRealisedBps);

        var buckets = data.Buckets.Select(b => new ArbitrageLatencyBucket(
            b.Index == 0 ? 0 : BucketEdgesMs[b.Index - 1], b.Index < BucketEdgesMs.Count ? BucketEdgesMs[b.Index] : null,
            b.Count, b.BothFilled, (double)b.BothFilled / b.Count)).ToList();

        var stages = data.Stages
            .Select(s => (s.Stage, s.Moments.N, Fit: s.Moments.Fit()))
            .Select(s => new StageLostEdge(s.Stage, s.N, s.Fit?.R, s.Fit?.RSquared, s.Fit?.Slope, s.Fit?.SlopeLow, s.Fit?.SlopeHigh, s.Fit?.PValue))
            .OrderByDescending(s => s.RSquared ?? -1).ThenBy(s => s.Stage, StringComparer.Ordinal)
            .ToList();

        return new ArbitrageResponse(window.From, window.To, total, total == 0 ? null : (double)bothFilled / total,
            data.Outcomes.Select(o => new ArbitrageOutcomeCount(o.Outcome, o.Count)).ToList(),
            new ArbitrageEdge(edgeCount, expected, realised, expected - realised),
            ArbitrageLatencyBasis, buckets, ArbitrageStageBasis, LinearFit.DefaultConfidence, stages);
    }
}
