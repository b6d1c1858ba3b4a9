using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Strategy;

/// <summary>
/// The strategy's HTTP clients of the gateway, at <c>Strategy:GatewayUrl</c>: <see cref="GatewayOrders.SubmitClient"/>
/// sends orders with the service key (the gateway continues the signal's or arbitrage's trace) through the standard
/// resilience handler; <see cref="GatewayOrders.PollClient"/> polls order states without propagating any trace context.
/// Needs <see cref="StrategyOptions"/> bound and a <see cref="StrategyMetrics"/>.
/// </summary>
public static class GatewayClients
{
    public static IServiceCollection AddGatewayClients(this IServiceCollection services)
    {
        services.AddHttpClient(GatewayOrders.SubmitClient, (sp, http) => http.BaseAddress = GatewayUrl(sp))
            .AddServiceKey() // an internal caller: the gateway continues the signal's or arbitrage's trace
            .AddStandardResilienceHandler().Configure(ConfigureBackoff);
        services.AddHttpClient(GatewayOrders.PollClient, (sp, http) => http.BaseAddress = GatewayUrl(sp))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { ActivityHeadersPropagator = null });
        services.AddSingleton<GatewayOrders>();
        return services;
    }

    private static Uri GatewayUrl(IServiceProvider services) =>
        new(services.GetRequiredService<IOptions<StrategyOptions>>().Value.GatewayUrl);

    /// <summary>
    /// The gateway answering 429/503 (or not at all): retried with exponential backoff (honouring Retry-After; the
    /// Idempotency-Key makes a resent order safe) as <c>Strategy:GatewayRetry</c> says, each retry an event on the
    /// span that sends the order, and counted.
    /// </summary>
    private static void ConfigureBackoff(HttpStandardResilienceOptions resilience, IServiceProvider services)
    {
        var retry = services.GetRequiredService<IOptions<StrategyOptions>>().Value.GatewayRetry;
        resilience.Retry.MaxRetryAttempts = retry.MaxAttempts;
        resilience.Retry.Delay = retry.Delay;
        resilience.Retry.OnRetry = args =>
        {
            var code = args.Outcome.Result is { } response ? (int)response.StatusCode : 0;
            Activity.Current?.AddEvent(new ActivityEvent("gateway.backoff", tags: new ActivityTagsCollection
            {
                [SemanticAttributes.HttpResponseStatusCode] = code,
                ["retry.attempt"] = args.AttemptNumber + 1,
                ["retry.delay_ms"] = args.RetryDelay.TotalMilliseconds,
                [SemanticAttributes.ErrorType] = args.Outcome.Exception?.GetType().FullName ?? code.ToString(CultureInfo.InvariantCulture),
            }));
            services.GetRequiredService<StrategyMetrics>().Backoff(code);
            return ValueTask.CompletedTask;
        };
    }
}
