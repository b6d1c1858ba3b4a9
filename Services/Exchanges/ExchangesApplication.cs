using TradingAspire.Exchanges.Feed;
using TradingAspire.Messaging;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Exchanges;

/// <summary>The simulated venues' wiring: prices, child-order execution, the WebSocket feeds, fault injection.</summary>
public static class ExchangesApplication
{
    public static WebApplicationBuilder AddExchangesService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddServiceTelemetry("Exchanges");
        builder.AddRedisStreams();
        builder.Services.Configure<ExchangeOptions>(builder.Configuration.GetSection(ExchangeOptions.Section));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new PriceWalk(faults: sp.GetRequiredService<VenueFaults>()));
        builder.Services.AddSingleton<VenueExecutions>();
        builder.Services.AddSingleton<VenueFaults>();
        builder.Services.AddHostedService<MarketSimulator>();
        builder.AddVenueFeeds();
        return builder;
    }

    public static WebApplication MapExchangesService(this WebApplication app)
    {
        app.MapDefaultEndpoints();
        app.MapVenueEndpoints();
        app.MapVenueFeeds();
        app.MapAdminGroup().MapVenueAdminEndpoints().MapVenueFeedAdminEndpoints();
        return app;
    }
}
