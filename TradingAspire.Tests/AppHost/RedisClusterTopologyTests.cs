using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.AppHost;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class RedisClusterTopologyTests
{
    // CLUSTER NODES of a replica after a restart on new ports, before the others were introduced again
    // (redis-server 7.0.15), plus a node in handshake and a master migrating a slot.
    private const string Nodes =
        "de1502eb2d5f4d20db703d68a19d8ca98fe349e8 127.0.0.1:23103@23203 master - 0 1796488216390 3 disconnected 10923-16383\n" +
        "df142c21bc95196b70a1a6fb1d157c5a7eb38e11 127.0.0.1:23304@23404 myself,slave 3d68f3a761bb4d896fe5fac8d8669985ffe99b98 0 1796488216390 1 connected\n" +
        "3d68f3a761bb4d896fe5fac8d8669985ffe99b98 127.0.0.1:23101@23201,host-a master,fail? - 0 1796488216390 1 connected 0-5460 [5461->-f9f69f151754ee28dfdd08215383b59c0e43d082]\n" +
        "a1b2c3d4e5f60718293a4b5c6d7e8f9011223344 127.0.0.1:23305@23405 handshake - 0 0 0 connected\n" +
        "f9f69f151754ee28dfdd08215383b59c0e43d082 127.0.0.1:23102@23202 master - 0 1796488216390 2 connected 5461 5462-10922\n";

    [Fact]
    public void Cluster_nodes_lines_give_address_role_master_and_slots()
    {
        var nodes = RedisClusterTopology.ParseNodes(Nodes);

        Assert.Equal(5, nodes.Count);
        var myself = Assert.Single(nodes, n => n.IsMyself);
        Assert.True(myself.IsReplica);
        Assert.False(myself.IsMaster);
        Assert.Equal("3d68f3a761bb4d896fe5fac8d8669985ffe99b98", myself.MasterId);
        Assert.True(myself.IsAt("127.0.0.1", 23304, 23404));
        Assert.Equal(0, myself.SlotCount);

        var failing = nodes.Single(n => n.Id.StartsWith("3d68", StringComparison.Ordinal));
        Assert.True(failing.IsFailing);
        Assert.Equal("127.0.0.1", failing.Host);
        Assert.Equal([new SlotRange(0, 5460)], failing.Slots);
        Assert.Equal(1, failing.ConfigEpoch);

        Assert.False(nodes.Single(n => n.Id.StartsWith("de15", StringComparison.Ordinal)).Connected);
        Assert.True(nodes.Single(n => n.Id.StartsWith("a1b2", StringComparison.Ordinal)).InHandshake);
        Assert.Equal(5462, nodes.Single(n => n.Id.StartsWith("f9f6", StringComparison.Ordinal)).SlotCount);
        Assert.Null(nodes.Single(n => n.Id.StartsWith("f9f6", StringComparison.Ordinal)).MasterId);
    }

    [Fact]
    public void Cluster_info_is_read_as_keys_and_values()
    {
        var info = RedisClusterTopology.ParseInfo("cluster_state:ok\r\ncluster_slots_assigned:16384\r\ncluster_slots_ok:16384\r\ncluster_known_nodes:6\r\n");

        Assert.Equal("ok", info["cluster_state"]);
        Assert.Equal("16384", info["cluster_slots_ok"]);
        Assert.Equal("6", info["cluster_known_nodes"]);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    public void The_masters_shares_cover_every_slot_once_and_differ_by_at_most_one(int masters)
    {
        var shares = Enumerable.Range(0, masters).Select(i => RedisClusterTopology.MasterSlots(i, masters)).ToList();

        Assert.Equal(0, shares[0].Start);
        Assert.Equal(RedisClusterTopology.SlotCount - 1, shares[^1].End);
        Assert.All(shares.Zip(shares.Skip(1)), pair => Assert.Equal(pair.First.End + 1, pair.Second.Start));
        Assert.True(shares.Max(s => s.Count) - shares.Min(s => s.Count) <= 1);
        Assert.Equal(new SlotRange(0, 5460), RedisClusterTopology.MasterSlots(0, 3));
    }
}
