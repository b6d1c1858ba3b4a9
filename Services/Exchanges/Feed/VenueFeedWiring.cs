namespace TradingAspire.Exchanges.Feed;

/// <summary>The venue feeds' services, endpoint and admin endpoints.</summary>
public static class VenueFeedWiring
{
    public static IHostApplicationBuilder AddVenueFeeds(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<FeedOptions>(builder.Configuration.GetSection(FeedOptions.Section));
        builder.Services.AddSingleton<VenueFeeds>();
        builder.Services.AddSingleton<FeedFaults>();
        builder.Services.AddSingleton<FeedMetrics>();
        builder.Services.AddSingleton<FeedRequestHandler>();
        builder.Services.AddHostedService<VenueFeedPublisher>();
        return builder;
    }

    /// <summary>WebSockets and <c>GET /venues/{venue}/feed</c>.</summary>
    public static WebApplication MapVenueFeeds(this WebApplication app)
    {
        app.UseWebSockets();
        app.MapVenueFeed();
        return app;
    }
}
