using Microsoft.Extensions.Options;

namespace TradingAspire.Execution;

/// <summary>The trace-derived latency pricing: options, the model, its refresher and <c>GET /routing/model</c>.</summary>
public static class RoutingRegistration
{
    public static WebApplicationBuilder AddTraceDerivedRouting(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RoutingOptions>()
            .Bind(builder.Configuration.GetSection(RoutingOptions.Section))
            .Configure(o => o.OperatorKey ??= builder.Configuration["TraceAnalytics:Api:OperatorKey"])
            .Validate(o => RoutingPolicies.IsKnown(o.Policy),
                $"{RoutingOptions.Section}:{nameof(RoutingOptions.Policy)} must be {RoutingPolicies.Static}, {RoutingPolicies.Trace} or {RoutingPolicies.AB}.")
            .Validate(o => o.ModelRefresh > TimeSpan.Zero && o.ModelWindow > TimeSpan.Zero && o.MinSamples >= 3,
                $"{RoutingOptions.Section}: ModelRefresh and ModelWindow must be positive and MinSamples at least 3.")
            .ValidateOnStart();
        builder.Services.AddSingleton<LatencyCostModel>();
        builder.Services.AddSingleton<RoutePricing>();
        builder.Services.AddHttpClient<LatencyCostRefresher>((sp, http) =>
        {
            http.BaseAddress = new Uri(sp.GetRequiredService<IOptions<RoutingOptions>>().Value.TraceStoreUrl);
            http.Timeout = TimeSpan.FromSeconds(20);
        });
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LatencyCostRefresher>());
        return builder;
    }

    public static WebApplication MapRoutingModel(this WebApplication app)
    {
        app.MapGet("/routing/model", (IOptionsMonitor<RoutingOptions> routing, IOptionsMonitor<ExecutionOptions> execution, LatencyCostModel model) =>
            {
                var snapshot = model.Current;
                return TypedResults.Ok(new
                {
                    routing.CurrentValue.Policy,
                    StaticPenaltyBpsPerMs = execution.CurrentValue.LatencyPenaltyBpsPerMs,
                    routing.CurrentValue.MinSamples,
                    ComputedAt = snapshot?.ComputedAt,
                    Window = snapshot?.Window,
                    Venues = snapshot?.Venues.Values.OrderBy(v => v.Venue, StringComparer.Ordinal).Select(v => v with
                    {
                        PenaltyBpsPerMs = model.PenaltyFor(v.Venue, execution.CurrentValue.LatencyPenaltyBpsPerMs),
                    }) ?? [],
                });
            })
            .WithTags("Routing")
            .WithSummary("How routing prices latency: the policy (static, trace or ab), the static bp/ms, and per venue the trace store's " +
                         "slope of slippage on latency and the price in use (the static one until a venue has MinSamples orders).");
        return app;
    }
}
