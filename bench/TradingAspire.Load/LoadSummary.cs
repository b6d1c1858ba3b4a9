using System.Text.Json;
using HdrHistogram;

namespace TradingAspire.Load;

/// <summary>Latency percentiles in milliseconds.</summary>
public sealed record LatencySummary(long Count, double P50, double P90, double P99, double P999, double Max)
{
    public static LatencySummary From(HistogramBase h) => new(
        h.TotalCount,
        LoadMetrics.Percentile(h, 50), LoadMetrics.Percentile(h, 90), LoadMetrics.Percentile(h, 99), LoadMetrics.Percentile(h, 99.9),
        h.TotalCount == 0 ? double.NaN : h.GetMaxValue() / 1000.0);
}

/// <summary>What a run measured (orders sent after the warm-up), as printed and as written to summary.json.</summary>
public sealed record LoadSummary(
    string Target,
    int TargetRate,
    int Clients,
    int WarmupSeconds,
    int DurationSeconds,
    long Sent,
    long Accepted,
    long Completed,
    double SentPerSecond,
    double CompletedPerSecond,
    LatencySummary PostTo202,
    LatencySummary SendToFinal,
    IReadOnlyDictionary<string, long> Outcomes,
    IReadOnlyDictionary<string, long> Errors,
    long NotificationsMissed,
    long NotificationReconnects,
    long Lost,
    IReadOnlyList<string> LostOrderIds,
    IReadOnlyList<TimelinePoint> Timeline)
{
    /// <summary>Every order that reached a final state during the whole run (warm-up, drain and reconciliation included).</summary>
    public long CompletedAll { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}
