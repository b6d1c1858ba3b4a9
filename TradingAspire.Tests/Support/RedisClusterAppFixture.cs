using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace TradingAspire.Tests.Support;

/// <summary>
/// The real AppHost with <c>--Redis:Mode=cluster</c> (3 masters, a replica each), holding only Redis: the
/// services and streams are taken out before it starts, since their keys are not laid out for a cluster
/// yet (several scripts touch keys in different slots). Connects the way a service does, from the
/// connection string the AppHost hands out.
/// </summary>
public sealed class RedisClusterAppFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    public static readonly string[] MasterNames = ["redis-m1", "redis-m2", "redis-m3"];
    public static readonly string[] ReplicaNames = ["redis-r1", "redis-r2", "redis-r3"];
    public static readonly string[] NodeNames = [.. MasterNames, .. ReplicaNames];

    public DistributedApplication App { get; private set; } = null!;
    public ConnectionMultiplexer Redis { get; private set; } = null!;
    public string ConnectionString { get; private set; } = "";
    public string DataRoot { get; } = Path.Combine(AppContext.BaseDirectory, "test-data", "cluster-" + Guid.NewGuid().ToString("N")[..8]);

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        App = await StartAsync(DataRoot, waitForCleanup: false, cts.Token);
        ConnectionString = await ConnectionStringAsync(App, cts.Token);
        Redis = await ConnectionMultiplexer.ConnectAsync(ConnectionString + ",allowAdmin=true");
    }

    /// <summary>Starts the AppHost in cluster mode on <paramref name="dataDir"/> and waits until the cluster resource is healthy (every slot served).</summary>
    public static async Task<DistributedApplication> StartAsync(string dataDir, bool waitForCleanup, CancellationToken cancellationToken)
    {
        string[] args =
        [
            $"DcpPublisher:WaitForResourceCleanup={waitForCleanup}",
            "Redis:Mode=cluster",
            $"Redis:DataDir={dataDir}",
            "OrderFlow:Enabled=false",
            "Strategy:Enabled=false",
            $"{LocalEndpointsFile.ConfigKey}=",
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TradingAspire_AppHost>(
            args, (options, _) => options.DisableDashboard = true, cancellationToken);
        foreach (var resource in builder.Resources.Where(r => r is ProjectResource or RedisStreamResource).ToList())
        {
            builder.Resources.Remove(resource);
        }

        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Aspire.Hosting.Dcp", LogLevel.Error));
        var app = await builder.BuildAsync(cancellationToken);
        await app.StartAsync(cancellationToken);
        await app.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Redis, cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        return app;
    }

    public static async Task<string> ConnectionStringAsync(DistributedApplication app, CancellationToken cancellationToken) =>
        await TradingRedis.ConnectionResource(app.Services.GetRequiredService<DistributedApplicationModel>()).GetConnectionStringAsync(cancellationToken)
            ?? throw new InvalidOperationException("No Redis connection string.");

    /// <summary>The port a node resource listens on (and announces: its endpoint is not proxied).</summary>
    public int PortOf(string node) => PortOf(App, node);

    public static int PortOf(DistributedApplication app, string node) => app.GetEndpoint(node, RedisServerExecutable.EndpointName).Port;

    /// <summary>The node resource listening on <paramref name="endpoint"/>.</summary>
    public string NodeAt(EndPoint endpoint) => NodeNames.Single(n => PortOf(n) == ((IPEndPoint)endpoint).Port);

    /// <summary>The cluster as a connected master sees it (<c>CLUSTER NODES</c>, parsed by StackExchange.Redis).</summary>
    public Task<ClusterConfiguration> ClusterNodesAsync() => ClusterNodesAsync(Redis);

    /// <summary>The cluster as a connected master of <paramref name="redis"/> sees it.</summary>
    public static async Task<ClusterConfiguration> ClusterNodesAsync(IConnectionMultiplexer redis)
    {
        var server = redis.GetServers().First(s => s.IsConnected && !s.IsReplica);
        return await server.ClusterNodesAsync() ?? throw new InvalidOperationException("No CLUSTER NODES reply.");
    }

    /// <summary>The process id of a node resource (<c>redis-m1</c>…), from its resource snapshot.</summary>
    public static int PidOf(DistributedApplication app, string node)
    {
        app.ResourceNotifications.TryGetCurrentState(node, out var state);
        return Convert.ToInt32(state!.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Polls until 3 masters serve every slot, each with one connected replica, as a connected master sees it.</summary>
    public async Task<ClusterConfiguration> WaitForFullClusterAsync(TimeSpan timeout) =>
        await Eventually.Get(async () =>
        {
            var config = await ClusterNodesAsync();
            var masters = config.Nodes.Where(n => !n.IsReplica && !n.IsFail && !n.IsPossiblyFail && n.Slots.Count > 0).ToList();
            var complete = masters.Count == 3
                && masters.Sum(m => m.Slots.Sum(s => s.To - s.From + 1)) == 16384
                && masters.All(m => m.Children.Count(c => c.IsConnected && !c.IsFail && !c.IsPossiblyFail) == 1)
                && config.Nodes.Count == 6;
            return complete ? config : null;
        }, timeout, "3 masters serving every slot, each with a connected replica", TimeSpan.FromMilliseconds(250));

    public Task DisposeAsync() => AppTeardown.DisposeAsync(Redis, App, DataRoot);
}

/// <summary>Runs alone, after the parallel collections: six redis-servers of its own, and a failover timed.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RedisClusterCollection : ICollectionFixture<RedisClusterAppFixture>
{
    public const string Name = "Redis cluster app";
}
