using TradingAspire.Contracts;

namespace TradingAspire.TraceAnalytics.Alerts;

/// <summary>
/// The firing/resolved state machine over successive evaluations: a breach that was not firing
/// fires (a new alert), a firing one updates, a firing one without a breach resolves. Pure.
/// </summary>
public sealed class AlertTracker
{
    private readonly Dictionary<(string Rule, string Group), LatencyAlert> firing = new();

    public IReadOnlyCollection<LatencyAlert> Firing => firing.Values;

    /// <summary>Applies one rule's measurements; returns the alerts that fired, changed or resolved.</summary>
    public IReadOnlyList<(LatencyAlert Alert, bool Transition)> Apply(
        AlertRule rule, IReadOnlyList<AlertMeasurement> measurements, Func<string, IReadOnlyList<AlertOffender>> offendingTraces, DateTimeOffset now)
    {
        var changes = new List<(LatencyAlert, bool)>();
        var breached = measurements.Where(m => m.Breached).ToDictionary(m => m.Group);
        foreach (var (group, measurement) in breached)
        {
            var offenders = offendingTraces(group);
            var traces = offenders.Select(o => o.TraceId).Distinct().ToList();
            var summary = $"{rule.Stage}{(group == "all" ? "" : $" at {group}")} {rule.Measure} {measurement.ValueMs:0} ms > {rule.ThresholdMs:0} ms over {rule.Window.TotalSeconds:0} s ({measurement.Samples} spans)";
            if (firing.TryGetValue((rule.Name, group), out var current))
            {
                var updated = traces.Count > 0
                    ? current with { ValueMs = measurement.ValueMs, TraceIds = traces, Offenders = offenders, Summary = summary }
                    : current with { ValueMs = measurement.ValueMs, Summary = summary };
                firing[(rule.Name, group)] = updated;
                changes.Add((updated, false));
            }
            else
            {
                var alert = new LatencyAlert(Guid.CreateVersion7(now).ToString("N"), rule.Name, group, AlertState.Firing, rule.Stage,
                    rule.Measure, measurement.ValueMs, rule.ThresholdMs, now, null, traces, summary, offenders);
                firing[(rule.Name, group)] = alert;
                changes.Add((alert, true));
            }
        }

        foreach (var key in firing.Keys.Where(k => k.Rule == rule.Name && !breached.ContainsKey(k.Group)).ToList())
        {
            var resolved = firing[key] with
            {
                State = AlertState.Resolved,
                ResolvedAt = now,
                ValueMs = measurements.FirstOrDefault(m => m.Group == key.Group)?.ValueMs ?? 0,
                Summary = $"{firing[key].Summary} — resolved",
            };
            firing.Remove(key);
            changes.Add((resolved, true));
        }

        return changes;
    }
}
