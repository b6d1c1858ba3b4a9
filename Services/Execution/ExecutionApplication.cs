using Microsoft.Extensions.Options;
using TradingAspire.Contracts;
using TradingAspire.MarketPrices;
using TradingAspire.Messaging;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Execution;

/// <summary>The execution service's wiring: <c>orders.approved</c> → route → venues → <c>orders.filled</c>.</summary>
public static class ExecutionApplication
{
    public static WebApplicationBuilder AddExecutionService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddServiceTelemetry("Execution");
        builder.Services.Configure<ExecutionOptions>(builder.Configuration.GetSection(ExecutionOptions.Section));
        // Resilience is per venue (VenueGateway), not per HttpClient: one venue's failures must not stop the others.
        builder.Services.AddHttpClient<ExchangesClient>((sp, http) =>
                http.BaseAddress = new Uri(sp.GetRequiredService<IOptions<ExecutionOptions>>().Value.ExchangesUrl))
            .AddServiceKey(); // the venues' order endpoints serve our own services only
        builder.Services.AddSingleton<VenueGateway>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<VenueCatalog>();
        builder.Services.AddSingleton<ExecutionMetrics>();
        builder.Services.AddSingleton<ExecutionLegs>();
        builder.AddTraceDerivedRouting();
        builder.Services.AddConsolidatedBook();
        builder.AddPartitionedStreamConsumer<ApprovedOrder, ExecuteOrderHandler>(Streams.OrdersApproved, group: "execution");
        return builder;
    }

    public static WebApplication MapExecutionService(this WebApplication app)
    {
        app.MapDefaultEndpoints();
        app.MapGet("/venues", (VenueCatalog catalog, VenueGateway gateway) => TypedResults.Ok(catalog.Venues.Select(v => new
            {
                Name = v.Venue,
                v.Symbols,
                ExpectedLatencyMs = catalog.LatencyMs(v.Venue),
                Available = !gateway.Unavailable.Contains(v.Venue),
                NewestQuoteAgeMs = v.AgeMs,
                v.Quoting,
                catalog.RefreshedAt,
            })))
            .WithTags("Routing")
            .WithSummary("Venues as routing sees them: the symbols they quote, the age of their newest quote, whether any quote is usable now (quoting), expected latency and whether their circuit lets orders through.");
        app.MapRoutingModel();
        return app;
    }
}
