using System.Diagnostics.Metrics;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Execution;

/// <summary>Fill slippage, venue round trips and child orders by venue and status.</summary>
public sealed class ExecutionMetrics(ServiceTelemetry telemetry)
{
    private readonly Histogram<double> slippage = telemetry.Meter.CreateHistogram(
        "trading.fill.slippage", "{bp}", "Average fill price against the arrival price, signed basis points (positive = worse).",
        tags: null, advice: LatencyBuckets.BasisPoints);

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
