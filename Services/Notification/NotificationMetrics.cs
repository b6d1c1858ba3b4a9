using System.Diagnostics.Metrics;
using TradingAspire.Contracts;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Notification;

/// <summary>Orders by final outcome, end-to-end latency (gateway receipt → notification), pushes sent.</summary>
public sealed class NotificationMetrics(ServiceTelemetry telemetry)
{
    private readonly Counter<long> completed =
        telemetry.Meter.CreateCounter<long>("trading.orders.completed", "{order}", "Orders that reached a final state, by outcome.");

    private readonly Histogram<double> endToEnd =
        telemetry.Meter.CreateSecondsHistogram("trading.order.duration", "End-to-end latency of an order, from the gateway to its final state.");

    private readonly Counter<long> pushed =
        telemetry.Meter.CreateCounter<long>("trading.notifications.sent", "{notification}", "Outcomes pushed to subscribed clients.");

    public void Completed(OrderStatus status, string symbol, TimeSpan endToEndLatency)
    {
        var outcome = new KeyValuePair<string, object?>(TradingAttributes.Outcome, status.ToString());
        completed.Add(1, outcome, new(TradingAttributes.Symbol, symbol));
        endToEnd.Record(Math.Max(0, endToEndLatency.TotalSeconds), outcome);
    }

    public void Pushed(long subscribers) => pushed.Add(1, new KeyValuePair<string, object?>("trading.notification.subscribers", subscribers));
}
