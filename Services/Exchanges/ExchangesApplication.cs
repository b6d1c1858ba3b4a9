using TradingAspire.Messaging;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Exchanges;

/// <summary>The simulated venues' wiring: prices, child-order execution, fault injection.</summary>
public static class ExchangesApplication
{
    public static WebApplicationBuilder AddExchangesService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddServiceTelemetry("Exchanges");
        builder.AddRedisStreams();
        builder.Services.Configure<ExchangeOptions>(builder.Configuration.GetSection(ExchangeOptions.Section));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new PriceWalk());
        builder.Services.AddSingleton<VenueExecutions>();
        builder.Services.AddSingleton<VenueFaults>();
        builder.Services.AddHostedService<MarketSimulator>();
        return builder;
    }

    public static WebApplication MapExchangesService(this WebApplication app)
    {
        app.MapDefaultEndpoints();
        app.MapVenueEndpoints();
        app.MapAdminGroup().MapVenueAdminEndpoints();
        return app;
    }
}
