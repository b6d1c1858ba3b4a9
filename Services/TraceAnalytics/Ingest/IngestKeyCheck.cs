using Microsoft.Extensions.Options;
using TradingAspire.TraceAnalytics.Access;

namespace TradingAspire.TraceAnalytics.Ingest;

/// <summary>
/// The ingest key check both OTLP transports make (the HTTP header or gRPC metadata
/// <see cref="IngestOptions.ApiKeyHeader"/>): constant-time, and failing closed while no key is configured.
/// </summary>
public sealed class IngestKeyCheck(IOptions<IngestOptions> options)
{
    /// <summary>Null when <paramref name="presentedKey"/> is the store's ingest key; otherwise why the export is refused.</summary>
    public string? Refusal(string? presentedKey)
    {
        var key = options.Value.ApiKey;
        if (string.IsNullOrEmpty(key))
        {
            return $"the trace store has no ingest key configured ({IngestOptions.Section}:{nameof(IngestOptions.ApiKey)}), so it refuses every export";
        }

        return KeyComparison.FixedTimeMatches(key, presentedKey ?? "")
            ? null
            : $"Send the trace store's API key in the {IngestOptions.ApiKeyHeader} header.";
    }
}
