using TradingAspire.Contracts;
using TradingAspire.Risk;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Risk;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class RiskEvaluatorTests
{
    private static readonly RiskLimits Limits = new() { MaxOrderNotional = 100_000m, MaxPositionNotional = 250_000m };

    private static NewOrder Order(OrderSide side, decimal quantity, OrderType type = OrderType.Market, decimal? limit = null) =>
        new("o1", "c1", "ETH-USD", side, type, quantity, limit, DateTimeOffset.UtcNow);

    [Fact]
    public void Order_within_every_limit_is_approved_and_moves_the_position()
    {
        var decision = RiskEvaluator.Evaluate(Order(OrderSide.Buy, 10), Limits, 5, 3000m, currentPosition: 5);
        Assert.True(decision.Approved);
        Assert.Equal(15, decision.PositionAfter);
        Assert.Equal(3000m, decision.ReferencePrice);
    }

    [Fact]
    public void Order_without_a_last_price_is_rejected()
    {
        var decision = RiskEvaluator.Evaluate(Order(OrderSide.Buy, 1), Limits, 5, null, 0);
        Assert.False(decision.Approved);
        Assert.Equal(RiskReasons.NoReferencePrice, decision.Reason);
    }

    [Theory]
    [InlineData(3160, true)]   // 5.33% above
    [InlineData(2840, true)]   // 5.33% below
    [InlineData(3149, false)]  // 4.97%
    [InlineData(2851, false)]
    public void Limit_price_outside_the_collar_is_rejected(double limit, bool rejected)
    {
        var decision = RiskEvaluator.Evaluate(Order(OrderSide.Buy, 1, OrderType.Limit, (decimal)limit), Limits, 5, 3000m, 0);
        Assert.Equal(rejected, decision.Reason == RiskReasons.PriceCollar);
    }

    [Fact]
    public void Order_over_the_notional_limit_is_rejected()
    {
        var decision = RiskEvaluator.Evaluate(Order(OrderSide.Buy, 34), Limits, 5, 3000m, 0); // 102k
        Assert.Equal(RiskReasons.OrderNotional, decision.Reason);
        Assert.Equal(0, decision.PositionAfter);
    }

    [Fact]
    public void Limit_order_is_valued_at_its_limit_price()
    {
        var decision = RiskEvaluator.Evaluate(Order(OrderSide.Buy, 33, OrderType.Limit, 3100m), Limits, 5, 3000m, 0); // 102.3k at limit, 99k at last
        Assert.Equal(RiskReasons.OrderNotional, decision.Reason);
    }

    [Fact]
    public void Position_limit_counts_the_side_sells_reduce_a_long()
    {
        Assert.Equal(RiskReasons.PositionLimit, RiskEvaluator.Evaluate(Order(OrderSide.Buy, 10), Limits, 5, 3000m, currentPosition: 80).Reason);
        var reducing = RiskEvaluator.Evaluate(Order(OrderSide.Sell, 10), Limits, 5, 3000m, currentPosition: 80);
        Assert.True(reducing.Approved);
        Assert.Equal(70, reducing.PositionAfter);
        Assert.Equal(RiskReasons.PositionLimit, RiskEvaluator.Evaluate(Order(OrderSide.Sell, 10), Limits, 5, 3000m, currentPosition: -80).Reason);
    }

    [Fact]
    public void Client_overrides_replace_the_default_limits()
    {
        var options = new RiskOptions { Clients = { ["big"] = new RiskLimits { MaxOrderNotional = 1 } } };
        Assert.Equal(1, options.For("BIG").MaxOrderNotional);
        Assert.Same(options.Default, options.For("someone-else"));
    }
}
