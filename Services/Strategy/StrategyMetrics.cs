using System.Diagnostics.Metrics;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Strategy;

/// <summary>The strategy service's metrics, on the meter <c>TradingAspire.Strategy</c>.</summary>
public sealed class StrategyMetrics(ServiceTelemetry telemetry)
{
    private static readonly InstrumentAdvice<double> EdgeBuckets = new()
    {
        HistogramBucketBoundaries = [-20, -10, -5, -2, -1, 0, 0.5, 1, 2, 5, 10, 20, 50],
    };

    private readonly Counter<long> suppressed = telemetry.Meter.CreateCounter<long>(
        "trading.signal.suppressed", "{quote}", "Quotes that could not trigger a signal, by reason (stale, too_old, crossed) and venue.");

    private readonly Counter<long> signals = telemetry.Meter.CreateCounter<long>(
        "trading.strategy.signals", "{signal}", "Directional signals acted on, by strategy and order status.");

    private readonly Histogram<double> tickToTrade = telemetry.Meter.CreateSecondsHistogram(
        "trading.strategy.tick_to_trade", "From the triggering quote's venue timestamp to the venue's first fill of the order.");

    private readonly Histogram<double> signalToFill = telemetry.Meter.CreateSecondsHistogram(
        "trading.strategy.signal_to_fill", "From the decision to the order's (or the arbitrage's) last fill.");

    private readonly Counter<long> opportunities = telemetry.Meter.CreateCounter<long>(
        "trading.arbitrage.opportunities", "{opportunity}", "Arbitrage opportunities taken, by outcome.");

    private readonly Histogram<double> duration = telemetry.Meter.CreateSecondsHistogram(
        "trading.arbitrage.duration", "From detecting an opportunity to both legs (and any unwind) being final.");

    private readonly Histogram<double> legSkew = telemetry.Meter.CreateSecondsHistogram(
        "trading.arbitrage.leg_skew", "Time between sending the two legs of an arbitrage.");

    private readonly Histogram<double> expectedEdge = telemetry.Meter.CreateHistogram(
        "trading.arbitrage.expected_edge", "{bp}", "Edge after fees an opportunity promised at detection.", tags: null, advice: EdgeBuckets);

    private readonly Histogram<double> realisedEdge = telemetry.Meter.CreateHistogram(
        "trading.arbitrage.realised_edge", "{bp}", "Edge after fees the legs' fill prices delivered.", tags: null, advice: EdgeBuckets);

    private readonly Counter<long> backoffs = telemetry.Meter.CreateCounter<long>(
        "trading.strategy.gateway_backoffs", "{retry}", "Orders the gateway answered 429/503 (or did not answer) and the strategy retried after a backoff.");

    public void Suppressed(string reason, string venue) =>
        suppressed.Add(1, new(TradingAttributes.SignalSuppressedReason, reason), new(TradingAttributes.Venue, venue));

    public void Signal(string strategy, string status) =>
        signals.Add(1, new(TradingAttributes.StrategyName, strategy), new(TradingAttributes.OrderStatus, status));

    public void TickToTrade(string strategy, TimeSpan elapsed) =>
        tickToTrade.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(TradingAttributes.StrategyName, strategy));

    public void SignalToFill(string strategy, TimeSpan elapsed) =>
        signalToFill.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(TradingAttributes.StrategyName, strategy));

    public void Arbitrage(string outcome, TimeSpan elapsed, double expectedEdgeBps, double? realisedEdgeBps)
    {
        var tag = new KeyValuePair<string, object?>(TradingAttributes.ArbitrageOutcome, outcome);
        opportunities.Add(1, tag);
        duration.Record(elapsed.TotalSeconds, tag);
        expectedEdge.Record(expectedEdgeBps, tag);
        if (realisedEdgeBps is { } realised)
        {
            realisedEdge.Record(realised, tag);
        }
    }

    public void LegSkew(TimeSpan skew) => legSkew.Record(Math.Abs(skew.TotalSeconds));

    public void Backoff(int statusCode) =>
        backoffs.Add(1, new KeyValuePair<string, object?>(SemanticAttributes.HttpResponseStatusCode, statusCode));
}
