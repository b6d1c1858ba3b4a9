using Microsoft.Extensions.Options;
using TradingAspire.Contracts;
using TradingAspire.MarketPrices;
using TradingAspire.Messaging;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Risk;

/// <summary>The risk service's wiring: <c>orders.new</c> → check → <c>orders.approved</c>/<c>orders.rejected</c>; <c>orders.filled</c> releases exposure.</summary>
public static class RiskApplication
{
    public static WebApplicationBuilder AddRiskService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddServiceTelemetry("Risk");
        builder.Services.Configure<RiskOptions>(builder.Configuration.GetSection(RiskOptions.Section));
        builder.Services.AddSingleton<RiskMetrics>();
        builder.Services.AddSingleton<PositionBook>();
        builder.Services.AddHostedService<LegacyPositions>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddConsolidatedBook();
        builder.AddPartitionedStreamConsumer<NewOrder, RiskCheckHandler>(Streams.OrdersNew, group: "risk");
        builder.AddPartitionedStreamConsumer<ExecutionReport, ExposureReleaseHandler>(Streams.OrdersFilled, group: "risk");
        return builder;
    }

    public static WebApplication MapRiskService(this WebApplication app)
    {
        app.MapDefaultEndpoints();
        app.MapGet("/limits/{clientId}", (string clientId, IOptionsMonitor<RiskOptions> options) => TypedResults.Ok(options.CurrentValue.For(clientId)))
            .WithTags("Limits")
            .WithSummary("The risk limits that apply to a client.");
        return app;
    }
}
