using CsCheck;
using TradingAspire.Contracts;
using TradingAspire.Messaging;
using TradingAspire.OrderStore;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Messaging;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class StreamPartitionsTests
{
    private static readonly Gen<string> ClientIds = Gen.String[Gen.Char.AlphaNumeric, 1, 40];

    [Theory]
    // Values from the Redis Cluster specification and CLUSTER KEYSLOT.
    [InlineData("123456789", 0x31C3 % 16384)]
    [InlineData("somekey", 11058)]
    [InlineData("foo{hash_tag}", 2515)]
    [InlineData("foo", 12182)]
    public void Hash_slots_match_redis(string key, int slot) => Assert.Equal(slot, RedisHashSlot.Of(key));

    [Fact]
    public void An_empty_or_unclosed_tag_does_not_count()
    {
        Assert.Equal(RedisHashSlot.Crc16("{}foo") % 16384, RedisHashSlot.Of("{}foo"));
        Assert.Equal(RedisHashSlot.Crc16("foo{bar") % 16384, RedisHashSlot.Of("foo{bar"));
        Assert.Equal(RedisHashSlot.Of("bar"), RedisHashSlot.Of("foo{bar}{zap}"));
    }

    [Fact]
    public void Keys_sharing_a_hash_tag_share_a_slot() =>
        ClientIds.Sample(tag => RedisHashSlot.Of("a{" + tag + "}x") == RedisHashSlot.Of("{" + tag + "}.b") && RedisHashSlot.Of("{" + tag + "}") == RedisHashSlot.Of(tag));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(16)]
    public void Each_partitions_tag_hashes_into_its_own_equal_share_of_the_slots(int count)
    {
        var partitions = new StreamPartitions(count);
        for (var p = 0; p < count; p++)
        {
            var slot = RedisHashSlot.Of(partitions.Tag(p));
            Assert.InRange(slot, p * 16384 / count, ((p + 1) * 16384 / count) - 1);
        }

        Assert.Equal(count, Enumerable.Range(0, count).Select(partitions.Tag).Distinct().Count());
        Assert.Equal("{p0}", StreamPartitions.Single.Tag(0));
    }

    [Fact]
    public void Everything_one_order_touches_is_in_its_clients_partition_slot() =>
        Gen.Select(ClientIds, Gen.Int[1, 8], Gen.Guid).Sample((client, count, id) =>
        {
            var partitions = new StreamPartitions(count);
            var tag = partitions.TagOf(client);
            var orderId = id.ToString("N");
            var slot = RedisHashSlot.Of(partitions.StreamOf(Streams.OrdersNew, client));
            string[] keys =
            [
                partitions.StreamOf(Streams.OrdersApproved, client), partitions.StreamOf(Streams.OrdersFilled, client),
                StreamFields.DeadLetterStream(partitions.StreamOf(Streams.OrdersNew, client)),
                OrderKeys.Order(tag, orderId), OrderKeys.Fence(tag, orderId), OrderKeys.Idempotency(tag, client, "k{x}"),
            ];
            return keys.All(k => RedisHashSlot.Of(k) == slot) && partitions.Of(client) == new StreamPartitions(count).Of(client);
        });

    [Fact]
    public void Clients_spread_over_the_partitions()
    {
        var partitions = new StreamPartitions(3);
        var counts = Enumerable.Range(0, 3000).GroupBy(i => partitions.Of($"client-{i}")).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(Enumerable.Range(0, 3), p => Assert.InRange(counts[p], 850, 1150));
    }

    [Fact]
    public void A_stream_without_a_tag_has_its_dead_letters_in_its_own_slot()
    {
        Assert.Equal("{alerts}.dead", StreamFields.DeadLetterStream("alerts"));
        Assert.Equal("orders.new{p1}.dead", StreamFields.DeadLetterStream("orders.new{p1}"));
        ClientIds.Sample(stream => RedisHashSlot.Of(StreamFields.DeadLetterStream(stream)) == RedisHashSlot.Of(stream));
    }

    [Fact]
    public void Stream_names_split_into_name_and_partition()
    {
        var partitions = new StreamPartitions(3);
        Assert.Equal(["orders.new" + partitions.Tag(0), "orders.new" + partitions.Tag(1), "orders.new" + partitions.Tag(2)], partitions.AllStreams("orders.new"));
        Assert.Equal("orders.new", StreamPartitions.Logical(partitions.Stream("orders.new", 2)));
        Assert.Equal(partitions.Tag(2), StreamPartitions.TagIn(partitions.Stream("orders.new", 2)));
        Assert.Equal("", StreamPartitions.TagIn("alerts"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StreamPartitions(0));
    }
}
