using TradingAspire.Strategy;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Strategy;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class LegLimitsTests
{
    [Fact]
    public void A_buy_may_pay_the_tolerance_above_the_ask_and_a_sell_take_it_below_the_bid()
    {
        Assert.Equal(100_010m, LegLimits.Buy(100_000m, 1, "BTC-USD"));
        Assert.Equal(99_990m, LegLimits.Sell(100_000m, 1, "BTC-USD"));
    }

    [Fact]
    public void Limits_are_on_the_tick_and_never_tighter_than_the_quote()
    {
        var tick = TradingAspire.Contracts.InstrumentCatalog.All.First(i => i.Symbol == "XRP-USD").TickSize;
        var buy = LegLimits.Buy(0.5003m, 0.3, "XRP-USD");
        var sell = LegLimits.Sell(0.5003m, 0.3, "XRP-USD");
        Assert.Equal(0m, buy % tick);
        Assert.Equal(0m, sell % tick);
        Assert.True(buy >= 0.5003m);
        Assert.True(sell <= 0.5003m);
        Assert.Equal(0.5003m, LegLimits.Buy(0.5003m, 0, "XRP-USD"));
    }
}
