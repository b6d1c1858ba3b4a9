using Microsoft.Extensions.Configuration;

namespace TradingAspire.AppHost;

/// <summary>The trace-analytics service (the trace store) and the key its OTLP ingest requires (like the dashboard's OTLP API key).</summary>
public sealed record TraceAnalytics(IResourceBuilder<ProjectResource> Service, IResourceBuilder<ParameterResource> IngestKey)
{
    public const string KeyHeader = "x-otlp-api-key";
}

/// <summary>Wiring every TradingAspire service gets.</summary>
public static class ServiceResources
{
    /// <summary>
    /// Tracing settings every service reads (head sampling: <c>Tracing:Sampling:Ratio</c>, the
    /// always-sample rules), e.g. <c>-- --Tracing:Sampling:Ratio=0.01</c> on the AppHost's command line.
    /// </summary>
    public const string TracingSection = "Tracing";

    /// <summary>Redis as connection "redis" (waiting until it answers PING), trace export to the trace store too, the messaging and tracing settings.</summary>
    public static IResourceBuilder<ProjectResource> WithTradingDefaults(
        this IResourceBuilder<ProjectResource> service, RedisDeployment redis, TraceAnalytics analytics)
    {
        service.WithReference(redis.Connection, connectionName: TradingRedis.ConnectionName)
            .WithAnalyticsExport(analytics)
            .WithConfigurationSection("Messaging")
            .WithConfigurationSection(TracingSection);
        if (redis.WaitTarget is not null)
        {
            service.WaitFor(redis.WaitTarget);
        }

        return service;
    }

    /// <summary>Every service exports its traces to the dashboard and to the trace store (with the store's ingest key).</summary>
    public static IResourceBuilder<ProjectResource> WithAnalyticsExport(
        this IResourceBuilder<ProjectResource> service, TraceAnalytics analytics) =>
        service.WithEnvironment("TRACE_ANALYTICS_OTLP_ENDPOINT", analytics.Service.GetEndpoint("http"))
            .WithEnvironment("TRACE_ANALYTICS_OTLP_HEADERS", ReferenceExpression.Create($"{TraceAnalytics.KeyHeader}={analytics.IngestKey}"))
            .WaitFor(analytics.Service);

    /// <summary>An HTTP endpoint Aspire allocates, and a health check on /health.</summary>
    public static IResourceBuilder<ProjectResource> WithHttpService(this IResourceBuilder<ProjectResource> service) =>
        service.WithHttpEndpoint().WithHttpHealthCheck("/health");

    /// <summary>
    /// Hands the AppHost's configuration section (e.g. <c>--OrderFlow:OrdersPerSecond=10</c> on the
    /// command line) to the service as environment variables.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithConfigurationSection(this IResourceBuilder<ProjectResource> service, string section)
    {
        var configuration = service.ApplicationBuilder.Configuration.GetSection(section);
        foreach (var (key, value) in configuration.AsEnumerable(makePathsRelative: true))
        {
            if (value is not null)
            {
                service.WithEnvironment($"{section}__{key.Replace(":", "__", StringComparison.Ordinal)}", value);
            }
        }

        return service;
    }
}
