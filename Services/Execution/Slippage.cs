using TradingAspire.Contracts;

namespace TradingAspire.Execution;

/// <summary>Fill quality against the arrival (reference) price.</summary>
public static class Slippage
{
    /// <summary>Signed basis points; positive means the fill was worse for the client than the reference.</summary>
    public static double Bps(OrderSide side, decimal referencePrice, decimal averagePrice)
    {
        if (referencePrice <= 0)
        {
            return 0;
        }

        var diff = side == OrderSide.Buy ? averagePrice - referencePrice : referencePrice - averagePrice;
        return Math.Round((double)(diff / referencePrice * 10_000m), 4);
    }

    public static decimal? AveragePrice(IReadOnlyCollection<Fill> fills)
    {
        var quantity = fills.Sum(f => f.Quantity);
        return quantity == 0 ? null : Math.Round(fills.Sum(f => f.Quantity * f.Price) / quantity, 8);
    }
}
