using Microsoft.Extensions.Configuration;
using TradingAspire.AppHost;
using TradingAspire.Contracts;

var builder = DistributedApplication.CreateBuilder(args);

var redis = builder.AddTradingRedis();
var access = builder.AddAccessSecrets();

var ingestKey = builder.AddParameter(ParameterNames.IngestKey, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true)
    .WithDescription("API key the trace store's OTLP ingest requires (header x-otlp-api-key).");
var analytics = new TraceAnalytics(
    builder.AddProject<Projects.TradingAspire_TraceAnalytics>(ResourceNames.TraceAnalytics)
        .WithHttpService()
        .WithConfigurationSection("TraceAnalytics")
        .WithConfigurationSection(ServiceResources.TracingSection)
        .WithOtlpGrpcIngest()
        .WithEnvironment("TraceAnalytics__Store__DataDir",
            Path.GetFullPath(builder.Configuration["TraceAnalytics:Store:DataDir"] ?? Path.Combine(builder.AppHostDirectory, ".data", "traces")))
        .WithEnvironment("TraceAnalytics__Ingest__ApiKey", ingestKey)
        .WithOperatorAccess(access)
        .WithReference(redis.Connection, connectionName: TradingRedis.ConnectionName)
        .WithUrlForEndpoint("http", url =>
        {
            url.Url = "/login";
            url.DisplayText = "Trace page (key: Parameters → operator-key)";
        }),
    ingestKey);
if (redis.WaitTarget is not null)
{
    analytics.Service.WaitFor(redis.WaitTarget);
}

// The streams between the services, declared once: the dashboard draws gateway → orders.new → risk …
// The order streams are partitioned by client (Messaging:Partitions; one per master on a cluster).
var partitions = new StreamPartitions(builder.Configuration.GetValue("Messaging:Partitions", 1));
var ordersNew = builder.AddStream(Streams.OrdersNew, redis, partitions);
var ordersApproved = builder.AddStream(Streams.OrdersApproved, redis, partitions);
var ordersRejected = builder.AddStream(Streams.OrdersRejected, redis, partitions);
var ordersFilled = builder.AddStream(Streams.OrdersFilled, redis, partitions);
var alerts = builder.AddStream(Streams.Alerts, redis);
var marketDataHealth = builder.AddStream(Streams.MarketDataHealth, redis);
builder.AddStreamMonitor(redis);
analytics.Service.Publishes(alerts);
analytics.Service.Consumes(marketDataHealth);

var exchanges = builder.AddProject<Projects.TradingAspire_Exchanges>(ResourceNames.Exchanges)
    .WithHttpService()
    .WithTradingDefaults(redis, analytics)
    .WithAdmin(access)
    .WithServiceAuth(access)
    .WithConfigurationSection("Exchanges");

// Venue feeds over WebSocket → the consolidated book (Redis) and per-venue feed health.
builder.AddProject<Projects.TradingAspire_MarketData>(ResourceNames.MarketData)
    .WithHttpService()
    .WithFeedHealthCheck()
    .WithTradingDefaults(redis, analytics)
    .WithServiceAuth(access)
    .WithReference(exchanges)
    .WaitFor(exchanges)
    .Publishes(marketDataHealth)
    .WithConfigurationSection("MarketData");

builder.AddProject<Projects.TradingAspire_Risk>(ResourceNames.Risk)
    .WithHttpService()
    .WithConfiguredReplicas()
    .WithTradingDefaults(redis, analytics)
    .Consumes(ordersNew, ordersFilled)
    .Publishes(ordersApproved, ordersRejected)
    .WithConfigurationSection("Risk");

builder.AddProject<Projects.TradingAspire_Execution>(ResourceNames.Execution)
    .WithHttpService()
    .WithConfiguredReplicas()
    .WithTradingDefaults(redis, analytics)
    .Consumes(ordersApproved)
    .Publishes(ordersFilled)
    .WithReference(exchanges)
    .WaitFor(exchanges)
    .WithServiceAuth(access)
    .WithReference(analytics.Service) // routing prices latency from the trace store's analysis (Execution:Routing)
    .WithOperatorAccess(access)
    .WithConfigurationSection("Execution");

var notification = builder.AddProject<Projects.TradingAspire_Notification>(ResourceNames.Notification)
    .WithHttpService()
    .WithConfiguredReplicas()
    .WithTradingDefaults(redis, analytics)
    .Consumes(ordersFilled, ordersRejected, alerts)
    .WithClientAuth(access);

var gateway = builder.AddProject<Projects.TradingAspire_Gateway>(ResourceNames.Gateway)
    .WithHttpService()
    .WithExternalHttpEndpoints()
    .WithTradingDefaults(redis, analytics)
    .Publishes(ordersNew)
    .WithClientAuth(access)
    .WithAdmin(access)
    .WithServiceAuth(access)
    .WithReference(analytics.Service)
    .WithOperatorAccess(access)
    .WithConfigurationSection("Gateway")
    .WithUrlForEndpoint("http", url => url.DisplayText = "Order API");

// URLs and the client-key secret of this run, for local tools (the load tool) to find the system.
builder.AddLocalEndpointsFile(gateway, notification, analytics.Service, access, redis);

if (builder.Configuration.GetValue("OrderFlow:Enabled", true))
{
    builder.AddProject<Projects.TradingAspire_OrderFlow>(ResourceNames.OrderFlow)
        .WithHttpService()
        .WithTradingDefaults(redis, analytics)
        .WithReference(gateway)
        .WaitFor(gateway)
        .WithClientAuth(access)
        .WithServiceAuth(access)
        .WithConfigurationSection("OrderFlow");
}

// The built-in strategies (arbitrage, imbalance): quotes from the consolidated book, orders through the gateway.
if (builder.Configuration.GetValue("Strategy:Enabled", true))
{
    builder.AddProject<Projects.TradingAspire_Strategy>(ResourceNames.Strategy)
        .WithHttpService()
        .WithTradingDefaults(redis, analytics)
        .WithReference(gateway)
        .WaitFor(gateway)
        .WithClientAuth(access)
        .WithServiceAuth(access)
        .WithConfigurationSection("Strategy");
}

builder.Build().Run();
