using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace TradingAspire.ServiceDefaults;

/// <summary>
/// OpenTelemetry for every service: traces (ASP.NET Core, HttpClient, our sources), metrics
/// (our meters, runtime, ASP.NET Core, HttpClient) and logs, exported over OTLP to the Aspire
/// dashboard (settings Aspire injects) and traces also to the TraceAnalytics store. Traces are head
/// sampled (<see cref="HeadSampling"/>, section <c>Tracing:Sampling</c>) and, below a ratio of 1, logs
/// follow them (<see cref="TraceFollowingLogSampler"/>); metrics count everything.
/// <c>Tracing:Enabled=false</c> turns tracing off altogether (no tracer provider, no trace exporters;
/// metrics and logs stay), which the benchmarks use to measure what tracing costs.
/// </summary>
public static class TelemetrySetup
{
    /// <summary>Configuration key holding the trace store's OTLP/HTTP base address.</summary>
    public const string AnalyticsEndpointKey = "TRACE_ANALYTICS_OTLP_ENDPOINT";
    /// <summary>Optional headers (k=v,k2=v2) sent to the trace store, e.g. its API key.</summary>
    public const string AnalyticsHeadersKey = "TRACE_ANALYTICS_OTLP_HEADERS";
    public const string AnalyticsExporterName = "analytics";
    /// <summary>Configuration key that turns tracing off (default true).</summary>
    public const string TracingEnabledKey = "Tracing:Enabled";

    /// <summary>Whether this service traces at all (<see cref="TracingEnabledKey"/>, default true).</summary>
    public static bool TracingEnabled(IConfiguration configuration) => configuration.GetValue(TracingEnabledKey, true);

    public static TBuilder ConfigureTradingTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var config = builder.Configuration;
        var exportToDashboard = !string.IsNullOrWhiteSpace(config["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var analyticsEndpoint = config[AnalyticsEndpointKey];
        var sampling = SamplingOptions.From(config);

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
            if (exportToDashboard)
            {
                logging.AddOtlpExporter();
            }
        });
        if (sampling.Ratio < 1.0)
        {
            // Logs follow the traces: an order left out of tracing writes no Information lines either.
            builder.Logging.AddSampler(new TraceFollowingLogSampler());
        }

        var otel = builder.Services.AddOpenTelemetry();
        otel.WithMetrics(metrics =>
        {
            metrics.AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation();
            if (exportToDashboard)
            {
                metrics.AddOtlpExporter();
            }
        });

        if (!TracingEnabled(config))
        {
            return builder;
        }

        otel.WithTracing(tracing =>
        {
            tracing.SetSampler(HeadSampling.Sampler(sampling))
                .AddProcessor(new BaggageTagProcessor())
                .AddAspNetCoreInstrumentation(o =>
                {
                    o.Filter = IsTracedRequest;
                    o.RecordException = true;
                })
                .AddHttpClientInstrumentation(o => o.RecordException = true);

            if (exportToDashboard)
            {
                tracing.AddOtlpExporter();
            }

            if (!string.IsNullOrWhiteSpace(analyticsEndpoint))
            {
                tracing.AddOtlpExporter(AnalyticsExporterName, o => ConfigureAnalyticsExporter(o, config, analyticsEndpoint));
            }
        });

        return builder;
    }

    private static void ConfigureAnalyticsExporter(OtlpExporterOptions options, IConfiguration config, string endpoint)
    {
        options.Endpoint = new Uri(endpoint.TrimEnd('/') + "/v1/traces");
        options.Protocol = OtlpExportProtocol.HttpProtobuf;
        options.Headers = config[AnalyticsHeadersKey];
        options.ExportProcessorType = ExportProcessorType.Batch;
        var delay = int.TryParse(config["OTEL_BSP_SCHEDULE_DELAY"], out var ms) ? ms : 1000;
        options.BatchExportProcessorOptions.ScheduledDelayMilliseconds = delay;
    }

    /// <summary>The OTLP/gRPC trace service's path (the trace store's gRPC ingest).</summary>
    private const string OtlpGrpcTraceServicePath = "/opentelemetry.proto.collector.trace.v1.TraceService";

    /// <summary>Health probes and the trace store's own ingest (OTLP/HTTP and OTLP/gRPC) are not traced.</summary>
    private static bool IsTracedRequest(HttpContext context)
    {
        var path = context.Request.Path;
        return !path.StartsWithSegments(Microsoft.Extensions.Hosting.ServiceDefaultsExtensions.HealthEndpointPath)
            && !path.StartsWithSegments(Microsoft.Extensions.Hosting.ServiceDefaultsExtensions.AlivenessEndpointPath)
            && !path.StartsWithSegments("/v1/traces")
            && !path.StartsWithSegments(OtlpGrpcTraceServicePath);
    }
}
