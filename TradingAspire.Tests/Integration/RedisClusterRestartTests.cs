using System.Net;
using Aspire.Hosting;
using StackExchange.Redis;
using TradingAspire.Tests.Support;
using Xunit.Abstractions;

namespace TradingAspire.Tests.Integration;

/// <summary>
/// The AppHost started again on the same data dir: the nodes come up on new ports with their nodes.conf, and
/// forming the cluster only introduces them at their new addresses (same node ids, slots, data).
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_formed_cluster_comes_back_with_the_same_nodes_and_data_after_the_AppHost_restarts()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var dataDir = Path.Combine(AppContext.BaseDirectory, "test-data", "cluster-restart-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Dictionary<string, (int Port, string Id)> before;
            // Waits for every process to stop on dispose: the second run must not meet the first one's nodes.
            await using (var first = await RedisClusterAppFixture.StartAsync(dataDir, waitForCleanup: true, cts.Token))
            {
                await using var redis = await ConnectAsync(first, cts.Token);
                before = await NodeIdsAsync(first, redis);
                await redis.GetDatabase().StringSetAsync("{restart}:order", "kept");
            }

            await using var second = await RedisClusterAppFixture.StartAsync(dataDir, waitForCleanup: true, cts.Token);
            await using var again = await ConnectAsync(second, cts.Token);
            var after = await NodeIdsAsync(second, again);
            output.WriteLine(string.Join(Environment.NewLine, before.Keys.Select(n => $"{n}: {before[n].Id[..8]} port {before[n].Port} → {after[n].Port}")));

            Assert.Equal(before.ToDictionary(kv => kv.Key, kv => kv.Value.Id), after.ToDictionary(kv => kv.Key, kv => kv.Value.Id));
            Assert.Equal("kept", (string?)await again.GetDatabase().StringGetAsync("{restart}:order"));
            await Eventually.True(async () =>
            {
                var nodes = (await again.GetServers().First(s => s.IsConnected && !s.IsReplica).ClusterNodesAsync())!.Nodes;
                return nodes.Count == 6 && nodes.Count(n => n.IsReplica && n.IsConnected) == 3;
            }, TimeSpan.FromSeconds(30), "the 3 replicas to be connected again");
        }
        finally
        {
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<ConnectionMultiplexer> ConnectAsync(DistributedApplication app, CancellationToken cancellationToken) =>
        await ConnectionMultiplexer.ConnectAsync(await RedisClusterAppFixture.ConnectionStringAsync(app, cancellationToken) + ",allowAdmin=true");

    /// <summary>Each node resource's port and the node id its redis-server reports.</summary>
    private static async Task<Dictionary<string, (int Port, string Id)>> NodeIdsAsync(DistributedApplication app, ConnectionMultiplexer redis)
    {
        var ids = new Dictionary<string, (int, string)>();
        foreach (var name in RedisClusterAppFixture.NodeNames)
        {
            var port = RedisClusterAppFixture.PortOf(app, name);
            ids[name] = (port, (string)(await redis.GetServer(new IPEndPoint(IPAddress.Loopback, port)).ExecuteAsync("CLUSTER", "MYID"))!);
        }

        return ids;
    }
}
