using TradingAspire.Messaging;
using TradingAspire.OrderStore;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Gateway;

/// <summary>The gateway's wiring, shared by <c>Program.cs</c> and the tests that host it on a real Kestrel.</summary>
public static class GatewayApplication
{
    public static WebApplicationBuilder AddGatewayService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddEntrySampling();
        builder.Services.AddSingleton<OrderSampling>();
        builder.AddInboundTraceContextPolicy();
        builder.AddClientAuthentication();
        builder.AddClientRateLimiting();
        builder.AddServiceTelemetry("Gateway");
        builder.AddRedisStreams();
        builder.Services.AddOrderStore();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<GatewayMetrics>();
        builder.Services.AddScoped<OrderIntake>();
        builder.Services.Configure<AcceptOptions>(builder.Configuration.GetSection("Gateway"));
        builder.Services.AddSingleton<OrderAcceptance>();
        builder.Services.AddSingleton<UnresolvedAccepts>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<UnresolvedAccepts>());
        builder.Services.AddSingleton<DeadLetterAdmin>();
        builder.Services.Configure<OrderTraceOptions>(builder.Configuration.GetSection("Gateway"));
        builder.Services.Configure<OrderTraceOptions>(o => o.OperatorKey = builder.Configuration["TraceAnalytics:Api:OperatorKey"]);
        builder.Services.AddHttpClient<OrderTraces>((sp, http) =>
        {
            http.BaseAddress = new Uri(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<OrderTraceOptions>>().Value.TraceStoreUrl);
            http.Timeout = TimeSpan.FromSeconds(5);
        });
        builder.Services.Configure<BacklogOptions>(builder.Configuration.GetSection("Gateway"));
        builder.Services.AddSingleton<StreamBacklog>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StreamBacklog>());
        builder.Services.AddHealthChecks().AddCheck<StreamBacklog>("stream-backlog");
        return builder;
    }

    public static WebApplication MapGatewayService(this WebApplication app)
    {
        app.UseRateLimiter();
        app.MapDefaultEndpoints();
        app.MapOrderEndpoints();
        app.MapAdminGroup().MapDeadLetterEndpoints();
        return app;
    }
}
