using TradingAspire.Strategy;
using TradingAspire.Tests.Support;
using static TradingAspire.Tests.Strategy.StrategyQuotes;

namespace TradingAspire.Tests.Strategy;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class QuoteScreenTests
{
    [Fact]
    public void A_fresh_uncrossed_quote_may_trigger_a_signal() =>
        Assert.Null(QuoteScreen.Reason(Quote("binance", 100m, 101m), Now, MaxAge));

    [Fact]
    public void A_quote_from_a_disconnected_feed_is_suppressed_as_stale() =>
        Assert.Equal(QuoteScreen.Stale, QuoteScreen.Reason(Quote("binance", 100m, 101m, stale: true), Now, MaxAge));

    [Fact]
    public void A_quote_older_than_the_strategy_allows_is_suppressed_as_too_old() =>
        Assert.Equal(QuoteScreen.TooOld, QuoteScreen.Reason(Quote("binance", 100m, 101m, age: TimeSpan.FromSeconds(2)), Now, MaxAge));

    [Theory]
    [InlineData(101, 100)]
    [InlineData(100, 100)]
    [InlineData(0, 100)]
    public void A_crossed_locked_or_empty_quote_is_suppressed_as_crossed(double bid, double ask) =>
        Assert.Equal(QuoteScreen.Crossed, QuoteScreen.Reason(Quote("binance", (decimal)bid, (decimal)ask), Now, MaxAge));

    [Fact]
    public void A_stale_quote_is_stale_first_whatever_else_is_wrong() =>
        Assert.Equal(QuoteScreen.Stale, QuoteScreen.Reason(Quote("binance", 101m, 100m, stale: true), Now, MaxAge));

    [Fact]
    public void A_suppressed_quote_triggers_no_directional_signal_through_the_loop_rules()
    {
        // The loop only feeds usable quotes to the signal: a stale quote with a strong imbalance is screened out first.
        var quote = Quote("binance", 100m, 101m, bidSize: 9, askSize: 1, stale: true);
        Assert.NotNull(QuoteScreen.Reason(quote, Now, MaxAge));
        Assert.NotNull(ImbalanceSignal.Evaluate(quote, 0.6));
    }
}
