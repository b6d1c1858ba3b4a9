using Microsoft.Extensions.Options;

namespace TradingAspire.Execution;

/// <summary>
/// How one order's routing prices latency: the policy it falls under and the bp per ms charged at each venue. The two
/// pricing functions are built once and read the current settings and model when called: nothing is allocated per order.
/// </summary>
public sealed class RoutePricing
{
    private readonly IOptionsMonitor<RoutingOptions> routing;
    private readonly Func<string, double> staticPrice;
    private readonly Func<string, double> tracePrice;

    public RoutePricing(IOptionsMonitor<ExecutionOptions> execution, IOptionsMonitor<RoutingOptions> routing, LatencyCostModel model)
    {
        this.routing = routing;
        staticPrice = _ => execution.CurrentValue.LatencyPenaltyBpsPerMs;
        tracePrice = venue => model.PenaltyFor(venue, execution.CurrentValue.LatencyPenaltyBpsPerMs);
    }

    public (string Policy, Func<string, double> PenaltyBpsPerMs) For(string orderId)
    {
        var policy = RoutingPolicies.For(routing.CurrentValue.Policy, orderId);
        return (policy, policy == RoutingPolicies.Trace ? tracePrice : staticPrice);
    }
}
