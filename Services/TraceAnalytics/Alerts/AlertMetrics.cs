using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using TradingAspire.Contracts;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.TraceAnalytics.Alerts;

/// <summary><c>trading.alerts.firing</c> (gauge per rule and group) and <c>trading.alerts.transitions</c>.</summary>
public sealed class AlertMetrics
{
    private readonly ConcurrentDictionary<(string Rule, string Group), int> firing = new();
    private readonly Counter<long> transitions;

    public AlertMetrics(ServiceTelemetry telemetry)
    {
        transitions = telemetry.Meter.CreateCounter<long>("trading.alerts.transitions", "{alert}", "Latency alerts that fired or resolved.");
        telemetry.Meter.CreateObservableGauge("trading.alerts.firing",
            () => firing.Select(f => new Measurement<int>(f.Value, new("trading.alert.rule", f.Key.Rule), new("trading.alert.group", f.Key.Group))),
            "{alert}", "1 while a latency alert is firing for this rule and group, 0 once resolved.");
    }

    public void Transition(LatencyAlert alert)
    {
        firing[(alert.Rule, alert.Group)] = alert.State == AlertState.Firing ? 1 : 0;
        transitions.Add(1, new("trading.alert.rule", alert.Rule), new("trading.alert.state", alert.State.ToString()));
    }
}
