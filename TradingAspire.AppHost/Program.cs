using Microsoft.Extensions.Configuration;
using TradingAspire.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

var redis = builder.AddTradingRedis();
var access = builder.AddAccessSecrets();

var ingestKey = builder.AddParameter("analytics-otlp-key", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true)
    .WithDescription("API key the trace store's OTLP ingest requires (header x-otlp-api-key).");
var analytics = new TraceStore(
    builder.AddProject<Projects.TradingAspire_TraceAnalytics>("analytics")
        .WithHttpService()
        .WithEnvironment("TraceStore__DataDir",
            Path.GetFullPath(builder.Configuration["TraceStore:DataDir"] ?? Path.Combine(builder.AppHostDirectory, ".data", "traces")))
        .WithEnvironment("TraceIngest__ApiKey", ingestKey)
        .WithOperatorAccess(access)
        .WithReference(redis.Connection, connectionName: TradingRedis.ConnectionName)
        .WithConfigurationSection("Alerts")
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

var exchanges = builder.AddProject<Projects.TradingAspire_Exchanges>("exchanges")
    .WithHttpService()
    .WithTradingDefaults(redis, analytics)
    .WithAdmin(access)
    .WithServiceAuth(access)
    .WithConfigurationSection("Exchanges");

builder.AddProject<Projects.TradingAspire_Risk>("risk")
    .WithHttpService()
    .WithTradingDefaults(redis, analytics)
    .WithConfigurationSection("Risk");

builder.AddProject<Projects.TradingAspire_Execution>("execution")
    .WithHttpService()
    .WithTradingDefaults(redis, analytics)
    .WithReference(exchanges)
    .WaitFor(exchanges)
    .WithServiceAuth(access)
    .WithConfigurationSection("Execution");

builder.AddProject<Projects.TradingAspire_Notification>("notification")
    .WithHttpService()
    .WithTradingDefaults(redis, analytics)
    .WithClientAuth(access);

var gateway = builder.AddProject<Projects.TradingAspire_Gateway>("gateway")
    .WithHttpService()
    .WithExternalHttpEndpoints()
    .WithTradingDefaults(redis, analytics)
    .WithClientAuth(access)
    .WithAdmin(access)
    .WithServiceAuth(access)
    .WithReference(analytics.Service)
    .WithOperatorAccess(access)
    .WithConfigurationSection("Gateway")
    .WithUrlForEndpoint("http", url => url.DisplayText = "Order API");

if (builder.Configuration.GetValue("OrderFlow:Enabled", true))
{
    builder.AddProject<Projects.TradingAspire_OrderFlow>("orderflow")
        .WithHttpService()
        .WithTradingDefaults(redis, analytics)
        .WithReference(gateway)
        .WaitFor(gateway)
        .WithClientAuth(access)
        .WithServiceAuth(access)
        .WithConfigurationSection("OrderFlow");
}

builder.Build().Run();
