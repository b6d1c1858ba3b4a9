using TradingAspire.TraceAnalytics.Access;
using TradingAspire.TraceAnalytics.Alerts;
using TradingAspire.TraceAnalytics.Feeds;
using TradingAspire.TraceAnalytics.Ingest;
using TradingAspire.TraceAnalytics.Query;
using TradingAspire.TraceAnalytics.Sampling;
using TradingAspire.TraceAnalytics.TradeAnalysis;

namespace TradingAspire.TraceAnalytics;

/// <summary>The whole service's wiring, shared by <c>Program.cs</c> and the tests that host it.</summary>
public static class TraceAnalyticsApplication
{
    public static WebApplicationBuilder AddTraceAnalyticsService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddOperatorAccess();
        builder.AddDuckDbTraceStore();
        builder.AddTraceIngest();
        builder.AddOtlpGrpcIngest();
        builder.AddTraceRetention();
        builder.AddTraceAnalytics();
        builder.AddTraceAlerts();
        builder.AddFeedHealth();
        builder.AddTradeAnalysis();
        return builder;
    }

    public static WebApplication MapTraceAnalyticsService(this WebApplication app)
    {
        app.MapDefaultEndpoints();
        app.UseOtlpGrpcPortGuard(); // the OTLP/gRPC port serves the trace service only
        app.UseOperatorAccess(); // everything below needs the operator key, but for OperatorAccess.OpenPaths
        app.MapOperatorLogin();
        app.MapOtlpTraceIngest();
        app.MapOtlpGrpcIngest();
        app.MapIngestStatus();
        app.MapSamplingStatus();
        app.MapTraceQueries();
        app.MapTraceAnalytics();
        app.MapTracePage();
        app.MapAlertEndpoints();
        app.MapFeedEndpoints();
        app.MapTradeAnalysis();
        return app;
    }
}
