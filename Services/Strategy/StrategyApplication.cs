using TradingAspire.Contracts;
using TradingAspire.MarketPrices;
using TradingAspire.Messaging;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Strategy;

/// <summary>
/// The strategy service's wiring: it follows the consolidated book in memory, and sends its orders to the gateway
/// like a client (its own client ids), with the service key so the gateway continues its traces.
/// </summary>
public static class StrategyApplication
{
    public static WebApplicationBuilder AddStrategyService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        // Few roots, each a whole story (a signal, an arbitrage): always sampled, whatever the ratio.
        builder.AddAlwaysSampledRoots(StrategySpans.Signal, StrategySpans.Arbitrage);
        builder.AddServiceTelemetry("Strategy");
        builder.AddRedisStreams(); // Redis as every service connects to it (the book follower reads it)
        builder.Services.Configure<ClientAuthOptions>(builder.Configuration.GetSection(ClientAuthOptions.Section));
        builder.Services.Configure<StrategyOptions>(builder.Configuration.GetSection(StrategyOptions.Section));
        builder.Services.AddGatewayClients();
        builder.Services.AddConsolidatedBook();
        builder.Services.AddSingleton<StrategyMetrics>();
        builder.Services.AddSingleton<StrategyStats>();
        builder.Services.AddSingleton<ArbitrageRunner>();
        builder.Services.AddSingleton<SignalRunner>();
        builder.Services.AddHostedService<StrategyLoop>();
        return builder;
    }

    public static WebApplication MapStrategyService(this WebApplication app)
    {
        app.MapDefaultEndpoints();
        app.MapGet("/strategy/stats", (StrategyStats stats) => TypedResults.Ok(stats.View()))
            .WithTags("Strategy")
            .WithSummary("Since start: book evaluations, arbitrages and signals acted on per venue, quotes refused per reason and venue.");
        return app;
    }
}
