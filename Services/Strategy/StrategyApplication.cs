using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
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
        builder.Services.AddHttpClient(GatewayOrders.SubmitClient, (sp, http) => http.BaseAddress = GatewayUrl(sp))
            .AddServiceKey() // an internal caller: the gateway continues the signal's or arbitrage's trace
            .AddStandardResilienceHandler().Configure(ConfigureBackoff);
        builder.Services.AddHttpClient(GatewayOrders.PollClient, (sp, http) => http.BaseAddress = GatewayUrl(sp))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { ActivityHeadersPropagator = null });
        builder.Services.AddConsolidatedBook();
        builder.Services.AddSingleton<StrategyMetrics>();
        builder.Services.AddSingleton<StrategyStats>();
        builder.Services.AddSingleton<GatewayOrders>();
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

    private static Uri GatewayUrl(IServiceProvider services) =>
        new(services.GetRequiredService<IOptions<StrategyOptions>>().Value.GatewayUrl);

    /// <summary>
    /// The gateway answering 429/503 (or not at all): retried with exponential backoff (honouring Retry-After; the
    /// Idempotency-Key makes a resent order safe), each retry an event on the span that sends the order, and counted.
    /// </summary>
    private static void ConfigureBackoff(HttpStandardResilienceOptions resilience, IServiceProvider services) =>
        resilience.Retry.OnRetry = args =>
        {
            var code = args.Outcome.Result is { } response ? (int)response.StatusCode : 0;
            Activity.Current?.AddEvent(new ActivityEvent("gateway.backoff", tags: new ActivityTagsCollection
            {
                [SemanticAttributes.HttpResponseStatusCode] = code,
                ["retry.attempt"] = args.AttemptNumber + 1,
                ["retry.delay_ms"] = args.RetryDelay.TotalMilliseconds,
                [SemanticAttributes.ErrorType] = args.Outcome.Exception?.GetType().FullName ?? code.ToString(CultureInfo.InvariantCulture),
            }));
            services.GetRequiredService<StrategyMetrics>().Backoff(code);
            return ValueTask.CompletedTask;
        };
}
