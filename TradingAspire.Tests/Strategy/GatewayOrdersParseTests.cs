using System.Text.Json;
using TradingAspire.Contracts;
using TradingAspire.Gateway;
using TradingAspire.Strategy;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Strategy;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class GatewayOrdersParseTests
{
    private static readonly OrderTicket Ticket = new("strategy-arb", "BTC-USD", OrderSide.Buy, OrderType.Limit, 0.02m, 100_000m, 2);
    private static readonly DateTimeOffset At = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static JsonElement View(OrderStatus status, decimal filled, decimal? average, params Fill[] fills) =>
        JsonSerializer.SerializeToElement(new OrderView("o-1", "strategy-arb", "BTC-USD", OrderSide.Buy, OrderType.Limit, 0.02m, 100_000m,
            status, At, status == OrderStatus.Accepted ? null : At.AddMilliseconds(80), filled, average, null, "kraken", null, fills,
            new Dictionary<string, double>(), null, "trace"), TradingJson.Options);

    [Fact]
    public void An_open_order_has_no_final_state_yet() =>
        Assert.Null(GatewayOrders.Parse(Ticket, "o-1", View(OrderStatus.Accepted, 0, null)));

    [Fact]
    public void A_filled_order_gives_its_fill_quantity_price_and_first_and_last_fill_times()
    {
        var result = GatewayOrders.Parse(Ticket, "o-1", View(OrderStatus.Filled, 0.02m, 99_999.5m,
            new Fill("e2", "kraken", 0.01m, 100_000m, At.AddMilliseconds(60)),
            new Fill("e1", "kraken", 0.01m, 99_999m, At.AddMilliseconds(40))));

        Assert.NotNull(result);
        Assert.Equal(OrderStatus.Filled, result.Status);
        Assert.True(result.FullyFilled);
        Assert.Equal(99_999.5m, result.AveragePrice);
        Assert.Equal("kraken", result.Venue);
        Assert.Equal(At.AddMilliseconds(40), result.FirstFillAt);
        Assert.Equal(At.AddMilliseconds(60), result.LastFillAt);
    }

    [Fact]
    public void A_rejected_order_is_final_with_nothing_filled()
    {
        var result = GatewayOrders.Parse(Ticket, "o-1", View(OrderStatus.Rejected, 0, null));
        Assert.NotNull(result);
        Assert.True(result.NothingFilled);
        Assert.Null(result.FirstFillAt);
    }
}
