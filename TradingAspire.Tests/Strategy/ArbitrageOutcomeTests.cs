using TradingAspire.Contracts;
using TradingAspire.Strategy;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Strategy;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class ArbitrageOutcomeTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static LegResult Leg(OrderSide side, decimal filled, decimal? price, OrderStatus status, decimal quantity = 0.02m) =>
        new(side, quantity, "o-" + side, status, filled, price, "venue", null, filled > 0 ? At : null, filled > 0 ? At : null);

    [Fact]
    public void Both_legs_filled_leave_no_exposure_and_realise_the_edge_of_the_fill_prices()
    {
        var outcome = ArbitrageOutcome.Of(
            Leg(OrderSide.Buy, 0.02m, 100_000m, OrderStatus.Filled), Leg(OrderSide.Sell, 0.02m, 100_015m, OrderStatus.Filled), feesBps: 1.0);

        Assert.Equal(StrategySpans.Outcomes.BothFilled, outcome.Outcome);
        Assert.False(outcome.NeedsUnwind);
        var reference = 15.0 / 100_007.5 * 10_000 - 1.0;
        Assert.Equal(reference, outcome.RealisedEdgeBps!.Value, 3);
        Assert.Equal(15.0 * 0.02 - 0.0001 * 100_007.5 * 0.02, (double)outcome.RealisedEdge!.Value, 5);
    }

    [Fact]
    public void A_fill_worse_than_the_fees_realises_a_negative_edge()
    {
        var outcome = ArbitrageOutcome.Of(
            Leg(OrderSide.Buy, 0.02m, 100_010m, OrderStatus.Filled), Leg(OrderSide.Sell, 0.02m, 100_005m, OrderStatus.Filled), feesBps: 1.0);
        Assert.True(outcome.RealisedEdgeBps < -1.0);
    }

    [Fact]
    public void One_leg_rejected_is_one_leg_failed_with_the_filled_leg_as_exposure()
    {
        var outcome = ArbitrageOutcome.Of(
            Leg(OrderSide.Buy, 0.02m, 100_000m, OrderStatus.Filled), Leg(OrderSide.Sell, 0, null, OrderStatus.Rejected), 1.0);

        Assert.Equal(StrategySpans.Outcomes.OneLegFailed, outcome.Outcome);
        Assert.Equal(0.02m, outcome.NetExposure);
        Assert.True(outcome.NeedsUnwind);
        Assert.Null(outcome.RealisedEdgeBps);
    }

    [Fact]
    public void A_leg_the_gateway_never_accepted_counts_as_failed()
    {
        var outcome = ArbitrageOutcome.Of(
            LegResult.NotAccepted(OrderSide.Buy, 0.02m, "gateway_busy_429"), Leg(OrderSide.Sell, 0.02m, 100_010m, OrderStatus.Filled), 1.0);

        Assert.Equal(StrategySpans.Outcomes.OneLegFailed, outcome.Outcome);
        Assert.Equal(-0.02m, outcome.NetExposure); // short: the unwind buys
    }

    [Fact]
    public void A_partly_filled_leg_is_partly_filled_with_the_difference_as_exposure()
    {
        var outcome = ArbitrageOutcome.Of(
            Leg(OrderSide.Buy, 0.02m, 100_000m, OrderStatus.Filled), Leg(OrderSide.Sell, 0.012m, 100_015m, OrderStatus.PartiallyFilled), 1.0);

        Assert.Equal(StrategySpans.Outcomes.PartlyFilled, outcome.Outcome);
        Assert.Equal(0.008m, outcome.NetExposure);
        Assert.NotNull(outcome.RealisedEdgeBps);
        Assert.Equal(15.0 * 0.012 - 0.0001 * 100_007.5 * 0.012, (double)outcome.RealisedEdge!.Value, 5); // on the matched quantity
    }

    [Fact]
    public void Neither_leg_filled_is_both_failed_and_needs_no_unwind()
    {
        var outcome = ArbitrageOutcome.Of(Leg(OrderSide.Buy, 0, null, OrderStatus.Failed), Leg(OrderSide.Sell, 0, null, OrderStatus.Rejected), 1.0);

        Assert.Equal(StrategySpans.Outcomes.BothFailed, outcome.Outcome);
        Assert.False(outcome.NeedsUnwind);
        Assert.Null(outcome.RealisedEdge);
    }
}
