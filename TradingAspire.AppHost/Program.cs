using Microsoft.Extensions.Configuration;
using TradingAspire.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

var redis = builder.AddTradingRedis();
var access = builder.AddAccessSecrets();

var analytics = builder.AddProject<Projects.TradingAspire_TraceAnalytics>("analytics")
    .WithHttpService()
    .WithEnvironment("TraceStore__DataDir",
        Path.GetFullPath(builder.Configuration["TraceStore:DataDir"] ?? Path.Combine(builder.AppHostDirectory, ".data", "traces")))
    .WithUrlForEndpoint("http", url => url.DisplayText = "Trace store API");

var exchanges = builder.AddProject<Projects.TradingAspire_Exchanges>("exchanges")
    .WithHttpService()
    .WithTradingDefaults(redis, analytics)
    .WithAdmin(access)
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
        .WithConfigurationSection("OrderFlow");
}

builder.Build().Run();
