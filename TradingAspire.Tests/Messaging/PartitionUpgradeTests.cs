using System.Text.Json;
using StackExchange.Redis;
using TradingAspire.Contracts;
using TradingAspire.Messaging;
using TradingAspire.OrderStore;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Messaging;

/// <summary>
/// Upgrading from the layout before partitions: what the old version left in an unpartitioned stream (entries never
/// read, entries a dead process read and never acknowledged) is finished by the new version, which then lets the old
/// stream go; new entries only ever go to the partitions.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class PartitionUpgradeTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task Entries_left_in_the_stream_before_partitions_are_finished_and_then_only_the_partitions_are_read()
    {
        var stream = "upgrade-" + Guid.NewGuid().ToString("N")[..8];
        var db = redis.Connection.GetDatabase();
        await db.StreamCreateConsumerGroupAsync(stream, "g", "0", createStream: true);
        for (var i = 0; i < 5; i++)
        {
            await db.StreamAddAsync(stream, [new("payload", JsonSerializer.Serialize(new Ping($"old-{i}", i), JsonSerializerOptions.Web)), new("type", nameof(Ping))]);
        }

        // A process of the old version read two and died holding them; three were never read.
        Assert.Equal(2, (await db.StreamReadGroupAsync(stream, "g", "g-old-process", ">", count: 2)).Length);

        var probe = new HandlerProbe();
        var partitions = new StreamPartitions(2);
        await using var host = new MessagingHost(redis.ConnectionString, stream, "g", probe,
            new Dictionary<string, string?> { ["Messaging:Partitions"] = "2" }, partitioned: true);
        await host.StartAsync();
        await host.Publisher.PublishAsync(partitions.Stream(stream, 1), new Ping("new", 9));

        await Eventually.True(() => Task.FromResult(probe.Deliveries.Select(d => d.Message.Body.Id).Distinct().Count() == 6),
            TimeSpan.FromSeconds(20), "the five old entries and the new one to be handled");
        Assert.Equal(["new", "old-0", "old-1", "old-2", "old-3", "old-4"], probe.Deliveries.Select(d => d.Message.Body.Id).Distinct().Order());
        await Eventually.True(async () => Assert.Single(await db.StreamGroupInfoAsync(stream)) is { PendingMessageCount: 0, Lag: 0 },
            TimeSpan.FromSeconds(10), "the old stream's group to have nothing pending or unread");

        // Drained, the old stream's reader is let go: the readers of the two partitions are left (StackExchange.Redis opens
        // two connections per reader, interactive and subscription).
        var reader = $"{ConsumerNames.For("g", null)}-reader";
        await using var admin = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true");
        await Eventually.True(async () => Readers(await admin.GetServers()[0].ClientListAsync(), reader) == 2 * 2,
            TimeSpan.FromSeconds(10), "the old stream's reader to close");
        Assert.Equal(5, await db.StreamLengthAsync(stream));
    }

    [Fact]
    public async Task An_order_stored_before_partitions_is_still_found_by_its_client()
    {
        var order = new NewOrder(Guid.NewGuid().ToString("N"), "c-upgrade", "ETH-USD", OrderSide.Buy, OrderType.Market, 1m, null, DateTimeOffset.UtcNow);
        await redis.Connection.GetDatabase().HashSetAsync($"order:{order.OrderId}",
            [new("order", JsonSerializer.Serialize(order, TradingJson.Options)), new("status", "Filled"), new("traceId", "0af7651916cd43dd8448eb211c80319c")]);

        var record = await new OrderRecordStore(redis.Connection, new StreamPartitions(3)).GetAsync(order.ClientId, order.OrderId);

        Assert.NotNull(record);
        Assert.Equal(OrderStatus.Filled, record.Status);
        Assert.Equal(order.ClientId, record.Order.ClientId);
        Assert.Null(await new OrderRecordStore(redis.Connection, new StreamPartitions(3)).GetAsync(order.ClientId, Guid.NewGuid().ToString("N")));
    }

    private static int Readers(ClientInfo[] clients, string name) => clients.Count(c => c.Name == name);
}
