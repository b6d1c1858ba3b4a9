using System.Text.Json.Serialization;

namespace TradingAspire.Contracts;

[JsonConverter(typeof(JsonStringEnumConverter<AlertState>))]
public enum AlertState { Firing, Resolved }

/// <summary>
/// A latency alert as the trace store raised or resolved it; the payload of the <c>alerts</c> stream.
/// <paramref name="Group"/> is the grouping value (e.g. the venue) or "all".
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
    string Summary);
