using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using StackExchange.Redis;
using TradingAspire.Contracts;

namespace TradingAspire.Tests.Support;

/// <summary>
/// The whole real AppHost on a local Redis Cluster (<c>--Redis:Mode=cluster</c>: 3 masters, a replica each),
/// with the order streams in 3 partitions, one per master (the AppHost's default in cluster mode).
/// </summary>
public sealed class ClusterTradingAppFixture : TradingAppFixture
{
    public const int PartitionCount = 3;

    protected override IEnumerable<string> Settings =>
    [
        "Redis:Mode=cluster",
        "Gateway:RateLimit:PermitsPerSecond=100",
        "Gateway:RateLimit:Burst=100",
        "Gateway:MaxStreamBacklog=500",
    ];

    public override StreamPartitions Partitions { get; } = new(PartitionCount);

    /// <summary>The first client id <c>&lt;prefix&gt;-&lt;n&gt;</c> of each partition, in partition order.</summary>
    public IReadOnlyList<string> ClientPerPartition(string prefix, int perPartition = 1)
    {
        var clients = new List<string>[PartitionCount];
        for (var p = 0; p < PartitionCount; p++)
        {
            clients[p] = [];
        }

        for (var n = 0; clients.Any(c => c.Count < perPartition); n++)
        {
            var client = string.Create(CultureInfo.InvariantCulture, $"{prefix}-{n}");
            var partition = clients[Partitions.Of(client)];
            if (partition.Count < perPartition)
            {
                partition.Add(client);
            }
        }

        return clients.SelectMany(c => c).ToList();
    }

    /// <summary>The cluster's view of itself, from a connected master.</summary>
    public Task<ClusterConfiguration> ClusterNodesAsync() => RedisClusterAppFixture.ClusterNodesAsync(Redis);

    /// <summary>The node resource (<c>redis-m1</c>…) listening on the port of <paramref name="node"/>.</summary>
    public string ResourceOf(ClusterNode node) =>
        RedisClusterAppFixture.NodeNames.Single(n => RedisClusterAppFixture.PortOf(App, n) == ((System.Net.IPEndPoint)node.EndPoint!).Port);

    /// <summary>The process id of a node resource.</summary>
    public int PidOf(string resource) => RedisClusterAppFixture.PidOf(App, resource);
}

/// <summary>Runs alone, after the parallel collections: one extra AppHost (and 6 redis-servers) at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterTradingAppCollection : ICollectionFixture<ClusterTradingAppFixture>
{
    public const string Name = "Trading app on a Redis Cluster";
}
