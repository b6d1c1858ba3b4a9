using Microsoft.Extensions.Options;
using TradingAspire.TraceAnalytics.Ingest;
using TradingAspire.TraceAnalytics.Storage;

namespace TradingAspire.TraceAnalytics;

public static class TraceAnalyticsRegistration
{
    /// <summary>
    /// Registers <see cref="ITraceStore"/> on DuckDB: <c>traces.duckdb</c> under <c>TraceStore:DataDir</c>
    /// (default <c>&lt;ContentRootPath&gt;/.data</c>, created when missing).
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
            return new DuckDbTraceStore(
                Path.Combine(dataDir, TraceStoreOptions.DatabaseFileName),
                options.MaxSpansPerTrace,
                options.MaxTracesPerOrder);
        });
        builder.Services.AddSingleton<ITraceStore>(sp => sp.GetRequiredService<DuckDbTraceStore>());
        return builder;
    }

    /// <summary>Registers the OTLP ingest queue and its single background writer (settings: <c>TraceIngest</c>).</summary>
    public static IHostApplicationBuilder AddTraceIngest(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section);
        builder.Services.AddSingleton(sp => new IngestQueue(sp.GetRequiredService<IOptions<IngestOptions>>().Value.QueueCapacity));
        builder.Services.AddHostedService<TraceBatchWriter>();
        return builder;
    }
}
