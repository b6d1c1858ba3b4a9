using System.Text.Json;

namespace TradingAspire.Contracts;

/// <summary>
/// Where a locally running AppHost serves (its gateway, notification and trace store URLs) and the deployment
/// secret client API keys derive from, the trace store's operator key, and Redis's connection string as the services get it
/// (for the benchmark suite's redis-benchmark and INFO): written by the AppHost to <see cref="DefaultRelativePath"/> (owner-only)
/// while it runs, so that local tools such as the load tool find the system without copying URLs and keys.
/// </summary>
public sealed record LocalEndpoints(
    string Gateway,
    string Notification,
    string TraceAnalytics,
    string ClientKeySecret,
    string OperatorKey,
    int AppHostProcessId,
    DateTimeOffset StartedAt,
    string? Redis = null)
{
    /// <summary>Relative to the AppHost's project directory.</summary>
    public const string DefaultRelativePath = ".data/endpoints.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static LocalEndpoints? FromJson(string json) => JsonSerializer.Deserialize<LocalEndpoints>(json, Json);
}
