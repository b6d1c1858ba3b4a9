using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TradingAspire.ServiceDefaults;
using TradingAspire.TraceAnalytics.Access;
using TradingAspire.TraceAnalytics.Forwarding;
using TradingAspire.TraceAnalytics.Ingest;
using TradingAspire.TraceAnalytics.Query;
using TradingAspire.TraceAnalytics.Retention;
using TradingAspire.TraceAnalytics.Sampling;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics;

public static class TraceAnalyticsRegistration
{
    /// <summary>
    /// Registers the trace store on DuckDB: the database (<c>traces.duckdb</c> under <c>TraceAnalytics:Store:DataDir</c>,
    /// default <c>&lt;ContentRootPath&gt;/.data</c>, created when missing) and the stores that use it,
    /// <see cref="ITraceStore"/>, <see cref="ITraceRetentionStore"/> and <see cref="ITraceAnalyticsStore"/>.
    /// </summary>
    public static IHostApplicationBuilder AddDuckDbTraceStore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TraceStoreOptions>().BindConfiguration(TraceStoreOptions.Section);
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TraceStoreOptions>>().Value;
            var environment = sp.GetRequiredService<IHostEnvironment>();
            var dataDir = string.IsNullOrWhiteSpace(options.DataDir)
                ? Path.Combine(environment.ContentRootPath, ".data")
                : Path.GetFullPath(options.DataDir, environment.ContentRootPath);
            Directory.CreateDirectory(dataDir);
            return new TraceDatabase(Path.Combine(dataDir, TraceStoreOptions.DatabaseFileName));
        });
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TraceStoreOptions>>().Value;
            return new DuckDbTraceStore(sp.GetRequiredService<TraceDatabase>(), options.MaxSpansPerTrace, options.MaxTracesPerOrder);
        });
        builder.Services.AddSingleton<ITraceStore>(sp => sp.GetRequiredService<DuckDbTraceStore>());
        builder.Services.AddSingleton<ITraceRetentionStore, DuckDbTraceRetentionStore>();
        builder.Services.AddSingleton<ITraceAnalyticsStore, DuckDbTraceAnalyticsStore>();
        return builder;
    }

    /// <summary>
    /// The retention job (settings <c>TraceAnalytics:Store:RetentionHours</c>, <c>TraceAnalytics:Store:MaxSizeMb</c>,
    /// <c>TraceAnalytics:Store:RetentionIntervalSeconds</c>).
    /// </summary>
    public static IHostApplicationBuilder AddTraceRetention(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<TraceRetentionJob>();
        return builder;
    }

    /// <summary>
    /// The analysis service behind <c>/api</c> (settings <c>TraceAnalytics</c>), and the span-derived RED metrics
    /// on the service's meter <c>TradingAspire.TraceAnalytics</c>, registered with OpenTelemetry.
    /// </summary>
    public static IHostApplicationBuilder AddTraceAnalytics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TraceAnalyticsOptions>().BindConfiguration(TraceAnalyticsOptions.Section);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TraceAnalyticsService>();
        builder.AddTraceAnalyticsTelemetry();
        builder.Services.AddSingleton<SpanMetrics>();
        builder.Services.AddSingleton<ISpanBatchObserver>(sp => sp.GetRequiredService<SpanMetrics>());
        return builder;
    }

    /// <summary>
    /// Registers the OTLP ingest queue, its single background writer, the monitor counting what became of
    /// the spans (metrics <c>traces.ingest.refused</c>/<c>traces.ingest.dropped</c>) and the <c>/health</c>
    /// check that fails while the store cannot write (settings: <c>TraceIngest</c>), tail sampling (settings:
    /// <c>TraceAnalytics:TailSampling</c>, off by default) and forwarding to an external tracing backend (settings:
    /// <c>TraceAnalytics:Forward</c>, off by default). Ingest itself keeps nothing but what is queued or buffered.
    /// </summary>
    public static IHostApplicationBuilder AddTraceIngest(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.AddTraceAnalyticsTelemetry();
        builder.Services.AddSingleton(sp => new IngestQueue(sp.GetRequiredService<IOptions<IngestOptions>>().Value.QueueCapacity));
        builder.Services.AddSingleton<IngestMonitor>();
        builder.Services.AddSingleton<IngestKeyCheck>();
        builder.Services.AddSingleton<OtlpTraceIngest>();
        builder.Services.AddHealthChecks().AddCheck<TraceIngestHealthCheck>(TraceIngestHealthCheck.Name);
        builder.AddTraceForwarding(); // before the writer and the sampler: it stops after them and takes what they flush
        builder.Services.AddHostedService<TraceBatchWriter>();
        builder.Services.AddOptions<TailSamplingOptions>().BindConfiguration(TailSamplingOptions.Section);
        builder.Services.AddSingleton<SamplingMetrics>();
        builder.Services.AddSingleton<TailSampler>();
        // After the writer: hosted services stop in reverse order, so the sampler flushes its buffer before the writer stops.
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TailSampler>());
        return builder;
    }

    /// <summary>The API and the page need the operator key (settings: <c>TraceApi</c>); see <see cref="OperatorAccess"/>.</summary>
    public static IHostApplicationBuilder AddOperatorAccess(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OperatorAccessOptions>().BindConfiguration(OperatorAccessOptions.Section);
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>The service's one ActivitySource and Meter, <c>TradingAspire.TraceAnalytics</c>, registered once.</summary>
    private static void AddTraceAnalyticsTelemetry(this IHostApplicationBuilder builder)
    {
        if (!builder.Services.Any(service => service.ServiceType == typeof(ServiceTelemetry)))
        {
            builder.AddServiceTelemetry("TraceAnalytics");
        }
    }
}
