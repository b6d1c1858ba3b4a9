using System.Diagnostics.Metrics;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Gateway;

/// <summary>Orders received by outcome (<c>accepted</c>, <c>invalid</c>, <c>replayed</c>, <c>unavailable</c>).</summary>
public sealed class GatewayMetrics(ServiceTelemetry telemetry)
{
    private readonly Counter<long> received =
        telemetry.Meter.CreateCounter<long>("trading.orders.received", "{order}", "Orders submitted to the gateway, by outcome.");

    public void Received(string outcome) => received.Add(1, new KeyValuePair<string, object?>(TradingAttributes.Outcome, outcome));
}
