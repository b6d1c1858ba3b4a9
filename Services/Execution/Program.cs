using Microsoft.Extensions.Options;
using TradingAspire.Contracts;
using TradingAspire.Execution;
using TradingAspire.Messaging;
using TradingAspire.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

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
builder.Services.AddSingleton<TradingAspire.MarketPrices.VenueBoard>();
builder.Services.AddHostedService<VenueCatalogRefresher>();
builder.AddStreamConsumer<ApprovedOrder, ExecuteOrderHandler>(Streams.OrdersApproved, group: "execution");

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGet("/venues", (VenueCatalog catalog, VenueGateway gateway) => TypedResults.Ok(catalog.Venues.Select(v => new
{
    v.Name,
    v.Symbols,
    ExpectedLatencyMs = catalog.LatencyMs(v.Name),
    Available = !gateway.Unavailable.Contains(v.Name),
    catalog.RefreshedAt,
}))).WithSummary("Venues as routing sees them: expected latency and whether their circuit lets orders through.");

app.Run();
