using TradingAspire.Contracts;
using TradingAspire.MarketPrices;
using TradingAspire.Messaging;
using TradingAspire.Risk;
using TradingAspire.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddServiceTelemetry("Risk");
builder.Services.Configure<RiskOptions>(builder.Configuration.GetSection(RiskOptions.Section));
builder.Services.AddSingleton<RiskMetrics>();
builder.Services.AddSingleton<PositionBook>();
builder.Services.AddSingleton<LastTradePrices>();
builder.AddStreamConsumer<NewOrder, RiskCheckHandler>(Streams.OrdersNew, group: "risk");
builder.AddStreamConsumer<ExecutionReport, ExposureReleaseHandler>(Streams.OrdersFilled, group: "risk");

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGet("/limits/{clientId}", (string clientId, Microsoft.Extensions.Options.IOptionsMonitor<RiskOptions> options) =>
        TypedResults.Ok(options.CurrentValue.For(clientId)))
    .WithSummary("The risk limits that apply to a client.");

app.Run();
