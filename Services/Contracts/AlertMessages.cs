using System.Text.Json.Serialization;

namespace TradingAspire.Contracts;

[JsonConverter(typeof(JsonStringEnumConverter<AlertState>))]
public enum AlertState { Firing, Resolved }

/// <summary>One slow trace behind an alert, and whose order it was.</summary>
public sealed record AlertOffender(string TraceId, string? ClientId, string? OrderId);

/// <summary>
/// A latency alert as the trace store raised or resolved it; the payload of the <c>alerts</c> stream.
/// <paramref name="Group"/> is the grouping value (e.g. the venue) or "all". <paramref name="TraceIds"/>
/// and <paramref name="Offenders"/> name orders of every client: the operator sees them all, a client
/// only its own (<see cref="ForClient"/>).
/// </summary>
public sealed record LatencyAlert(
    string Id,
    string Rule,
    string Group,
    AlertState State,
    string Stage,
    string Measure,
    double ValueMs,
    double ThresholdMs,
    DateTimeOffset StartedAt,
    DateTimeOffset? ResolvedAt,
    IReadOnlyList<string> TraceIds,
    string Summary,
    IReadOnlyList<AlertOffender>? Offenders = null)
{
    /// <summary>The alert as <paramref name="clientId"/> may see it: only the slow traces of its own orders.</summary>
    public LatencyAlert ForClient(string clientId)
    {
        var own = (Offenders ?? []).Where(o => o.ClientId == clientId).ToList();
        return this with { TraceIds = own.Select(o => o.TraceId).Distinct().ToList(), Offenders = own };
    }
}
