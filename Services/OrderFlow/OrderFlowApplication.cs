using Microsoft.Extensions.Options;
using TradingAspire.MarketPrices;
using TradingAspire.Messaging;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.OrderFlow;

/// <summary>The order-flow generator's wiring: it sends orders to the gateway like a client would.</summary>
public static class OrderFlowApplication
{
    public const string GatewayClient = OrderFlowGenerator.HttpClientName;

    public static WebApplicationBuilder AddOrderFlowService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddEntrySampling(); // a generated order's trace starts here: the sampling rules run here
        builder.AddServiceTelemetry("OrderFlow");
        builder.AddRedisStreams(); // Redis as every service connects to it (it reads last trade prices)
        builder.Services.Configure<ClientAuthOptions>(builder.Configuration.GetSection(ClientAuthOptions.Section));
        builder.Services.Configure<OrderFlowOptions>(builder.Configuration.GetSection(OrderFlowOptions.Section));
        builder.Services.AddHttpClient(GatewayClient, (sp, http) =>
                http.BaseAddress = new Uri(sp.GetRequiredService<IOptions<OrderFlowOptions>>().Value.GatewayUrl))
            .AddServiceKey() // an internal caller: the gateway continues the generator's trace
            .AddStandardResilienceHandler();
        builder.Services.AddConsolidatedBook();
        builder.Services.AddSingleton<OrderFlowStats>();
        builder.Services.AddSingleton<OrderSubmission>();
        builder.Services.AddHostedService<OrderFlowGenerator>();
        return builder;
    }

    public static WebApplication MapOrderFlowService(this WebApplication app)
    {
        app.MapDefaultEndpoints();
        app.MapGet("/stats", (OrderFlowStats stats, IOptionsMonitor<OrderFlowOptions> options) => TypedResults.Ok(new
            {
                options.CurrentValue.Enabled,
                options.CurrentValue.OrdersPerSecond,
                sent = stats.Sent,
                answers = stats.Answers,
            }))
            .WithTags("Generator")
            .WithSummary("What the generator sent, by kind, and the gateway's answers, by status code.");
        return app;
    }
}
