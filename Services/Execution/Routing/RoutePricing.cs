using Microsoft.Extensions.Options;

namespace TradingAspire.Execution;

/// <summary>How one order's routing prices latency: the policy it falls under and the bp per ms charged at each venue.</summary>
public sealed class RoutePricing(IOptionsMonitor<ExecutionOptions> execution, IOptionsMonitor<RoutingOptions> routing, LatencyCostModel model)
{
    public (string Policy, Func<string, double> PenaltyBpsPerMs) For(string orderId)
    {
        var staticPrice = execution.CurrentValue.LatencyPenaltyBpsPerMs;
        var policy = RoutingPolicies.For(routing.CurrentValue.Policy, orderId);
        return policy == RoutingPolicies.Trace
            ? (policy, venue => model.PenaltyFor(venue, staticPrice))
            : (policy, _ => staticPrice);
    }
}
