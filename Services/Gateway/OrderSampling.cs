using System.Diagnostics;
using TradingAspire.Contracts;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Gateway;

/// <summary>
/// The gateway's half of head sampling: as soon as an order is read, and before any span of it starts
/// or its context goes onto the stream, an order the ratio left out is sampled after all when a rule
/// matches it (its client, its symbol, or its notional). Allocation-free: set lookups and decimal
/// arithmetic, and nothing at all when the request is already sampled or no rule is configured.
/// </summary>
public sealed class OrderSampling(SamplingRules rules)
{
    /// <summary>Applies the rules to <paramref name="order"/>, sent by <paramref name="clientId"/>; returns the rule that kept it.</summary>
    public SamplingRule Apply(Activity? request, string clientId, OrderRequest order)
    {
        if (!rules.Any || request is null || request.Recorded || !request.IsAllDataRequested)
        {
            return SamplingRule.None;
        }

        var rule = rules.Match(clientId, order.Symbol, Notional(order));
        HeadSampling.Upgrade(request, rule);
        return rule;
    }

    /// <summary>
    /// Quantity × limit price, or for an order without one (MARKET) × the instrument's opening price;
    /// null when either is unknown. A product beyond decimal's range is <see cref="decimal.MaxValue"/>.
    /// </summary>
    public static decimal? Notional(OrderRequest order)
    {
        if (order.Quantity is not { } quantity || quantity <= 0)
        {
            return null;
        }

        var price = order.LimitPrice ?? (InstrumentCatalog.TryGet(order.Symbol, out var instrument) ? instrument.OpeningPrice : null);
        if (price is not { } p || p <= 0)
        {
            return null;
        }

        return p >= 1 && quantity > decimal.MaxValue / p ? decimal.MaxValue : quantity * p;
    }
}
