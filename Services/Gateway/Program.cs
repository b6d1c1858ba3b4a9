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
builder.Services.Configure<BacklogOptions>(builder.Configuration.GetSection("Gateway"));
builder.Services.AddSingleton<StreamBacklog>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<StreamBacklog>());
builder.Services.AddHealthChecks().AddCheck<StreamBacklog>("stream-backlog");

var app = builder.Build();

app.UseMiddleware<UntrustedBaggage>();
app.UseRateLimiter();
app.MapDefaultEndpoints();
app.MapOrderEndpoints();
app.MapAdminGroup().MapDeadLetterEndpoints();

app.Run();
