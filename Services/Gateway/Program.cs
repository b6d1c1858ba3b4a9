using TradingAspire.Gateway;
using TradingAspire.Messaging;
using TradingAspire.OrderStore;
using TradingAspire.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddClientAuthentication();
builder.AddClientRateLimiting();
builder.AddServiceTelemetry("Gateway");
builder.AddRedisStreams();
builder.Services.AddOrderStore();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<GatewayMetrics>();
builder.Services.AddScoped<OrderIntake>();
builder.Services.AddSingleton<DeadLetterAdmin>();

var app = builder.Build();

app.UseMiddleware<UntrustedBaggage>();
app.UseRateLimiter();
app.MapDefaultEndpoints();
app.MapOrderEndpoints();
app.MapAdminGroup().MapDeadLetterEndpoints();

app.Run();
