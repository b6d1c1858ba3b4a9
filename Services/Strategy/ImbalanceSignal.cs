using TradingAspire.Contracts;
using TradingAspire.MarketPrices;

namespace TradingAspire.Strategy;

/// <summary>A directional decision: which side to take on <see cref="Quote"/>'s venue, and how strongly the book leaned.</summary>
public sealed record DirectionalSignal(BookQuote Quote, OrderSide Side, double Imbalance);

/// <summary>
/// Order-book imbalance at the top of one venue's book: (bidSize − askSize) / (bidSize + askSize). Far more size bid
/// than offered pushes the price up (buy); far more offered, down (sell). Pure: unit-tested directly.
/// </summary>
public static class ImbalanceSignal
{
    public static double Imbalance(BookQuote quote)
    {
        var total = quote.BidSize + quote.AskSize;
        return total <= 0 ? 0 : (double)((quote.BidSize - quote.AskSize) / total);
    }

    /// <summary>The signal of a usable quote whose imbalance reaches <paramref name="threshold"/>, else null.</summary>
    public static DirectionalSignal? Evaluate(BookQuote quote, double threshold)
    {
        var imbalance = Imbalance(quote);
        if (Math.Abs(imbalance) < threshold || imbalance == 0)
        {
            return null;
        }

        return new DirectionalSignal(quote, imbalance > 0 ? OrderSide.Buy : OrderSide.Sell, Math.Round(imbalance, 4));
    }
}
