using TradingAspire.Exchanges;
using TradingAspire.MarketPrices;
using TradingAspire.Messaging;
using TradingAspire.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddServiceTelemetry("Exchanges");
builder.AddRedisStreams();
builder.Services.Configure<ExchangeOptions>(builder.Configuration.GetSection(ExchangeOptions.Section));
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(new PriceWalk());
builder.Services.AddSingleton<LastTradePrices>();
builder.Services.AddSingleton<VenueBoard>();
builder.Services.AddSingleton<VenueExecutions>();
builder.Services.AddSingleton<VenueFaults>();
builder.Services.AddHostedService<MarketSimulator>();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapVenueEndpoints();
app.MapAdminGroup().MapVenueAdminEndpoints();

app.Run();
