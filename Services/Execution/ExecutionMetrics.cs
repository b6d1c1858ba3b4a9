using System.Diagnostics.Metrics;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Execution;

/// <summary>Fill slippage, venue round trips and child orders by venue and status.</summary>
public sealed class ExecutionMetrics(ServiceTelemetry telemetry)
{
    /// <summary>Slippage in basis points, signed (positive = worse than the reference price).</summary>
    private static readonly InstrumentAdvice<double> SlippageBuckets = new()
    {
        HistogramBucketBoundaries = [-50, -25, -10, -5, -2, -1, 0, 1, 2, 5, 10, 25, 50, 100],
    };

    private readonly Histogram<double> slippage = telemetry.Meter.CreateHistogram(
        "trading.fill.slippage", "{bp}", "Average fill price against the arrival price, signed basis points (positive = worse).",
        tags: null, advice: SlippageBuckets);

    private readonly Histogram<double> venueLatency =
        telemetry.Meter.CreateSecondsHistogram("trading.venue.duration", "Round trip of one child order to a venue.");

    private readonly Counter<long> childOrders =
        telemetry.Meter.CreateCounter<long>("trading.venue.orders", "{order}", "Child orders sent to venues, by venue and status.");

    public void Slippage(string? venue, string symbol, double bps) =>
        slippage.Record(bps, new(TradingAttributes.Venue, venue), new(TradingAttributes.Symbol, symbol));

    public void VenueCall(string venue, string status, double seconds)
    {
        venueLatency.Record(seconds, new(TradingAttributes.Venue, venue), new(TradingAttributes.OrderStatus, status));
        childOrders.Add(1, new(TradingAttributes.Venue, venue), new(TradingAttributes.OrderStatus, status));
    }
}
