using TradingAspire.Contracts;
using TradingAspire.Risk;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Risk;

[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class PositionBookTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly RiskLimits Limits = new() { MaxOrderNotional = 1_000_000m, MaxPositionNotional = 100_000m };

    private static NewOrder Order(string client, OrderSide side, decimal quantity) =>
        new(Guid.NewGuid().ToString("N"), client, "ETH-USD", side, OrderType.Market, quantity, null, DateTimeOffset.UtcNow);

    private static Func<decimal, Task<RiskDecision>> Rules(NewOrder order) =>
        position => Task.FromResult(RiskEvaluator.Evaluate(order, Limits, 5, 1000m, position));

    [Fact]
    public async Task Concurrent_orders_never_reserve_past_the_position_limit()
    {
        var book = new PositionBook(redis.Connection, StreamPartitions.Single);
        var client = "c-" + Guid.NewGuid().ToString("N")[..6];
        // Each order is 10 units at 1000 = 10k; the limit of 100k allows exactly ten.
        var orders = Enumerable.Range(0, 25).Select(_ => Order(client, OrderSide.Buy, 10)).ToList();
        var decisions = await Task.WhenAll(orders.Select(o => book.DecideAsync(o, Rules(o))));

        Assert.Equal(10, decisions.Count(d => d.Approved));
        Assert.All(decisions.Where(d => !d.Approved), d => Assert.Equal(RiskReasons.PositionLimit, d.Reason));
        Assert.Equal(100m, await book.GetPositionAsync(client, "ETH-USD"));
    }

    [Fact]
    public async Task A_redelivered_order_gets_its_first_decision_and_reserves_nothing_twice()
    {
        var book = new PositionBook(redis.Connection, StreamPartitions.Single);
        var order = Order("c-" + Guid.NewGuid().ToString("N")[..6], OrderSide.Sell, 7);
        var first = await book.DecideAsync(order, Rules(order));
        var again = await book.DecideAsync(order, _ => throw new InvalidOperationException("must not be evaluated again"));

        Assert.Equal(first, again);
        Assert.Equal(-7m, await book.GetPositionAsync(order.ClientId, "ETH-USD"));
    }

    [Fact]
    public async Task The_unfilled_part_of_an_order_is_released_once()
    {
        var book = new PositionBook(redis.Connection, StreamPartitions.Single);
        var order = Order("c-" + Guid.NewGuid().ToString("N")[..6], OrderSide.Buy, 10);
        await book.DecideAsync(order, Rules(order));

        Assert.Equal(6m, await book.ReleaseUnfilledAsync(order, filledQuantity: 4));
        Assert.Equal(0m, await book.ReleaseUnfilledAsync(order, filledQuantity: 4));
        Assert.Equal(4m, await book.GetPositionAsync(order.ClientId, "ETH-USD"));
    }

    [Fact]
    public async Task Positions_of_the_layout_before_partitions_move_to_the_clients_partition_once()
    {
        var partitions = new StreamPartitions(3);
        var client = "c-" + Guid.NewGuid().ToString("N")[..6];
        var db = redis.Connection.GetDatabase();
        await db.HashSetAsync($"risk:position:{client}", [new("ETH-USD", "5"), new("BTC-USD", "1.5")]);
        await db.HashSetAsync(PositionBook.PositionKey(partitions, client), "ETH-USD", "7"); // decided by the new version already: it wins

        var migration = new LegacyPositions(redis.Connection, partitions, Microsoft.Extensions.Logging.Abstractions.NullLogger<LegacyPositions>.Instance);
        await migration.StartAsync(CancellationToken.None);
        await migration.StartAsync(CancellationToken.None);

        var book = new PositionBook(redis.Connection, partitions);
        Assert.Equal(7m, await book.GetPositionAsync(client, "ETH-USD"));
        Assert.Equal(1.5m, await book.GetPositionAsync(client, "BTC-USD"));
        Assert.False(await db.KeyExistsAsync($"risk:position:{client}"));
    }
}
