using TradingAspire.Contracts;

namespace TradingAspire.Risk;

/// <summary>
/// The risk rules, pure: price collar against the consolidated market price (mid of the best bid and ask across venues), order notional, and the net
/// position per symbol after the order. No I/O, so every rule is unit-tested directly.
/// </summary>
public static class RiskEvaluator
{
    public static RiskDecision Evaluate(NewOrder order, RiskLimits limits, decimal collarPercent, decimal? lastPrice, decimal currentPosition)
    {
        if (lastPrice is not > 0m)
        {
            return RiskDecision.Reject(RiskReasons.NoReferencePrice, $"No fresh market price for {order.Symbol} (every venue's quote is stale or missing); cannot value the order.", 0m, currentPosition);
        }

        var reference = lastPrice.Value;
        if (order.Type == OrderType.Limit && order.LimitPrice is { } limit)
        {
            var distance = Math.Abs(limit - reference) / reference * 100m;
            if (distance > collarPercent)
            {
                return RiskDecision.Reject(RiskReasons.PriceCollar,
                    $"Limit {limit} is {distance:0.##}% from the market price {reference}; the collar is {collarPercent}%.", reference, currentPosition);
            }
        }

        var price = order.Type == OrderType.Limit && order.LimitPrice is { } l ? l : reference;
        var notional = order.Quantity * price;
        if (notional > limits.MaxOrderNotional)
        {
            return RiskDecision.Reject(RiskReasons.OrderNotional,
                $"Order value {notional:0.##} exceeds the limit {limits.MaxOrderNotional:0.##} for {order.ClientId}.", reference, currentPosition);
        }

        var after = currentPosition + (order.Side == OrderSide.Buy ? order.Quantity : -order.Quantity);
        var positionValue = Math.Abs(after) * reference;
        if (positionValue > limits.MaxPositionNotional)
        {
            return RiskDecision.Reject(RiskReasons.PositionLimit,
                $"Position in {order.Symbol} would be {after} ({positionValue:0.##}), over the limit {limits.MaxPositionNotional:0.##}.", reference, currentPosition);
        }

        return RiskDecision.Approve(reference, after);
    }
}
