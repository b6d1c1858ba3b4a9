using Microsoft.Extensions.Options;
using TradingAspire.MarketPrices;
using TradingAspire.OrderFlow;
using TradingAspire.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddRedisClient("redis", configureOptions: o => o.AbortOnConnectFail = false);
builder.Services.Configure<TradingAspire.ServiceDefaults.ClientAuthOptions>(builder.Configuration.GetSection(TradingAspire.ServiceDefaults.ClientAuthOptions.Section));
builder.Services.Configure<OrderFlowOptions>(builder.Configuration.GetSection(OrderFlowOptions.Section));
builder.Services.AddHttpClient(OrderFlowGenerator.HttpClientName, (sp, http) =>
        http.BaseAddress = new Uri(sp.GetRequiredService<IOptions<OrderFlowOptions>>().Value.GatewayUrl))
    .AddServiceKey() // an internal caller: the gateway continues the generator's trace
    .AddStandardResilienceHandler();
builder.Services.AddSingleton<LastTradePrices>();
builder.Services.AddSingleton<OrderFlowStats>();
builder.Services.AddHostedService<OrderFlowGenerator>();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGet("/stats", (OrderFlowStats stats, IOptionsMonitor<OrderFlowOptions> options) => TypedResults.Ok(new
{
    options.CurrentValue.Enabled,
    options.CurrentValue.OrdersPerSecond,
    sent = stats.Sent,
    answers = stats.Answers,
})).WithSummary("What the generator sent, by kind, and the gateway's answers, by status code.");

app.Run();
