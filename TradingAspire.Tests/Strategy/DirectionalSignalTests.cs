using TradingAspire.Contracts;
using TradingAspire.Strategy;
using TradingAspire.Tests.Support;
using static TradingAspire.Tests.Strategy.StrategyQuotes;

namespace TradingAspire.Tests.Strategy;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class DirectionalSignalTests
{
    [Fact]
    public void More_size_bid_than_offered_signals_a_buy()
    {
        var signal = ImbalanceSignal.Evaluate(Quote("binance", 100m, 101m, bidSize: 9, askSize: 1), 0.6);
        Assert.NotNull(signal);
        Assert.Equal(OrderSide.Buy, signal.Side);
        Assert.Equal(0.8, signal.Imbalance, 6);
    }

    [Fact]
    public void More_size_offered_than_bid_signals_a_sell()
    {
        var signal = ImbalanceSignal.Evaluate(Quote("kraken", 100m, 101m, bidSize: 1, askSize: 4), 0.6);
        Assert.NotNull(signal);
        Assert.Equal(OrderSide.Sell, signal.Side);
        Assert.Equal(-0.6, signal.Imbalance, 6);
    }

    [Theory]
    [InlineData(5, 5)]
    [InlineData(7, 3)]
    [InlineData(0, 0)]
    public void A_balanced_book_signals_nothing(double bidSize, double askSize)
    {
        Assert.Null(ImbalanceSignal.Evaluate(Quote("binance", 100m, 101m, bidSize: (decimal)bidSize, askSize: (decimal)askSize), 0.6));
    }
}
