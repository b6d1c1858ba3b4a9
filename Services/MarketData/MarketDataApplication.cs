using TradingAspire.Contracts;
using TradingAspire.Messaging;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.MarketData;

/// <summary>
/// The marketdata service's wiring: venue discovery, one feed loop per venue, the consolidated book in Redis,
/// feed-health reports, health checks and <c>/feeds</c>.
/// </summary>
public static class MarketDataApplication
{
    public static WebApplicationBuilder AddMarketDataService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        // Session roots are few and are what the feed-health view links to: always sampled.
        builder.AddAlwaysSampledRoots(MarketDataSpans.Session);
        builder.AddRedisStreams();
        builder.Services.Configure<MarketDataOptions>(builder.Configuration.GetSection(MarketDataOptions.Section));
        builder.Services.AddSingleton<FeedRegistry>();
        builder.Services.AddFeedTelemetry();
        builder.Services.AddSingleton<ExchangesAddress>();
        builder.Services.AddHttpClient<VenueDiscovery>((sp, http) => http.BaseAddress = sp.GetRequiredService<ExchangesAddress>().Http);
        builder.Services.AddHostedService<FeedSupervisor>();
        builder.Services.AddSingleton<BookPublisher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<BookPublisher>());
        builder.Services.AddSingleton<FeedHealthReporter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FeedHealthReporter>());
        builder.Services.AddHealthChecks().AddCheck<FeedHealthCheck>(FeedHealthCheck.Name);
        return builder;
    }

    public static WebApplication MapMarketDataService(this WebApplication app)
    {
        app.MapDefaultEndpoints();
        app.MapFeedEndpoints();
        return app;
    }
}
