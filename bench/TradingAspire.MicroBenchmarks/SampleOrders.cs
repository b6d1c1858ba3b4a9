using TradingAspire.Contracts;

namespace TradingAspire.MicroBenchmarks;

/// <summary>Orders shaped like the load tool's: a $500 market order, a limit order near the touch, an oversized one.</summary>
public static class SampleOrders
{
    public static readonly DateTimeOffset Received = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    public static NewOrder Market() => new(
        "ord-7f3c2a9e4b1d4f0e8a6b5c4d3e2f1a0b", "load-042", "BTC-USD", OrderSide.Buy, OrderType.Market, 0.005m, null, Received,
        new Dictionary<string, double> { [Stages.Receive] = 0.412, [Stages.Validate] = 0.031 });

    public static NewOrder Limit() => Market() with { Type = OrderType.Limit, LimitPrice = 100_150m };

    public static NewOrder Oversized() => Market() with { Quantity = 5m };
}
