using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TradingAspire.TraceAnalytics.Ingest;

/// <summary>
/// <c>/health</c> is Unhealthy while the writer cannot append (the last append failed for good), with the
/// last error; healthy again once an append succeeds. Not tagged <c>live</c>: the process is alive.
/// </summary>
public sealed class TraceIngestHealthCheck(IngestMonitor monitor) : IHealthCheck
{
    public const string Name = "trace-ingest";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (monitor.Failure is not { } failure)
        {
            return Task.FromResult(HealthCheckResult.Healthy("The trace store appends spans."));
        }

        return Task.FromResult(HealthCheckResult.Unhealthy(
            $"The trace store cannot append spans since {failure.Since:O}: {failure.LastError.Type}: {failure.LastError.Message}",
            data: new Dictionary<string, object>
            {
                ["failingSince"] = failure.Since,
                ["lastErrorAt"] = failure.LastError.At,
                ["lastErrorType"] = failure.LastError.Type,
                ["lastError"] = failure.LastError.Message,
            }));
    }
}
