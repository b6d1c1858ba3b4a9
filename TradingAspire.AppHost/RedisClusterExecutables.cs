using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TradingAspire.AppHost;

/// <summary>
/// The Redis Cluster on the dashboard: its nodes are its children, its state and health say whether
/// every slot is served, its properties which node serves which slots.
/// </summary>
public sealed class RedisClusterResource(string name, string dataDir) : Resource(name)
{
    public const string ResourceType = "RedisCluster";

    /// <summary>Where the nodes keep their data, one directory each.</summary>
    public string DataDir { get; } = dataDir;

    /// <summary>Masters first (<c>redis-m1</c>…), then replicas (<c>redis-r1</c>…).</summary>
    public List<RedisClusterNode> Nodes { get; } = [];
}

/// <summary>
/// A node as the AppHost started it. <paramref name="MasterIndex"/>: for a master its own index, for a
/// replica the index of the master it is started to replicate (roles can swap after a failover).
/// </summary>
public sealed record RedisClusterNode(string Name, bool StartsAsMaster, int MasterIndex, EndpointReference Endpoint, EndpointReference Bus)
{
    /// <summary>Every node listens on and announces this address.</summary>
    public const string Host = "127.0.0.1";

    public int Port => Endpoint.Port;

    public int BusPort => Bus.Port;
}

/// <summary><c>Redis:Cluster:*</c>: how many masters, replicas per master, and the node timeout (failure detection).</summary>
public sealed record RedisClusterOptions(int Masters, int ReplicasPerMaster, int NodeTimeoutMs)
{
    public const string Section = "Redis:Cluster";

    public static RedisClusterOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var options = new RedisClusterOptions(
            section.GetValue("Masters", 3),
            section.GetValue("ReplicasPerMaster", 1),
            section.GetValue("NodeTimeoutMs", 2000));
        if (options.Masters < 3 || options.ReplicasPerMaster < 0 || options.NodeTimeoutMs < 100)
        {
            throw new DistributedApplicationException(
                $"{Section}: Masters must be at least 3 (a failover needs a majority of masters), ReplicasPerMaster at least 0 " +
                $"and NodeTimeoutMs at least 100; got {options.Masters}, {options.ReplicasPerMaster}, {options.NodeTimeoutMs}.");
        }

        return options;
    }
}

/// <summary>
/// <c>Redis:Mode=cluster</c>: a Redis Cluster of redis-server processes, each run like the standalone one
/// (<see cref="RedisServerExecutable"/>) plus <c>cluster-enabled</c>, its own <c>nodes.conf</c> and data dir under
/// <c>&lt;Redis:DataDir&gt;/cluster/&lt;node&gt;</c>, and the password also as <c>masterauth</c>.
/// <para>
/// A cluster node tells clients where slots live by its own address (MOVED/ASK redirects, <c>CLUSTER SLOTS</c>),
/// so clients must reach it on the port it listens on: both of its endpoints (clients, cluster bus) are
/// proxyless, on free ports Aspire allocates at start (Aspire's proxyless port allocator), and it announces 127.0.0.1.
/// </para>
/// <see cref="RedisClusterController"/> forms the cluster once every node answers, and the cluster resource
/// (<see cref="TradingRedis.ResourceName"/>) is healthy only while every slot is served; services wait for it.
/// </summary>
public static class RedisClusterExecutables
{
    public const string BusEndpointName = "bus";

    public static string MasterName(int index) => $"{TradingRedis.ResourceName}-m{index + 1}";

    public static string ReplicaName(int index) => $"{TradingRedis.ResourceName}-r{index + 1}";

    public static RedisDeployment AddRedisClusterExecutables(this IDistributedApplicationBuilder builder, string serverPath)
    {
        var options = RedisClusterOptions.From(builder.Configuration);
        var dataDir = Path.Combine(TradingRedis.DataDir(builder), "cluster");
        var password = TradingRedis.AddPassword(builder);
        var appendFsync = RedisServerExecutable.AppendFsync(builder.Configuration);

        var resource = new RedisClusterResource(TradingRedis.ResourceName, dataDir);
        var cluster = builder.AddResource(resource)
            .WithIconName("DatabaseMultiple")
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = RedisClusterResource.ResourceType,
                State = KnownResourceStates.Waiting,
                Properties =
                [
                    new("cluster.masters", options.Masters),
                    new("cluster.replicas_per_master", options.ReplicasPerMaster),
                    new("cluster.node_timeout_ms", options.NodeTimeoutMs),
                    new("cluster.data_dir", dataDir),
                ],
            });

        for (var i = 0; i < options.Masters; i++)
        {
            resource.Nodes.Add(AddNode(builder, cluster, MasterName(i), startsAsMaster: true, masterIndex: i));
        }

        for (var k = 0; k < options.Masters * options.ReplicasPerMaster; k++)
        {
            resource.Nodes.Add(AddNode(builder, cluster, ReplicaName(k), startsAsMaster: false, masterIndex: k % options.Masters));
        }

        RedisClusterNode AddNode(IDistributedApplicationBuilder builder, IResourceBuilder<RedisClusterResource> cluster, string name, bool startsAsMaster, int masterIndex)
        {
            var nodeDir = Path.Combine(dataDir, name);
            EndpointReference? bus = null;
            var node = builder.AddRedisServer(name, serverPath, nodeDir, password, appendFsync, isProxied: false, masterAuth: true, extraArgs: context =>
                {
                    context.Args.Add("--cluster-enabled");
                    context.Args.Add("yes");
                    context.Args.Add("--cluster-config-file");
                    context.Args.Add(Path.Combine(nodeDir, "nodes.conf"));
                    context.Args.Add("--cluster-port");
                    context.Args.Add(bus!.Property(EndpointProperty.TargetPort));
                    context.Args.Add("--cluster-node-timeout");
                    context.Args.Add(options.NodeTimeoutMs.ToString(CultureInfo.InvariantCulture));
                    context.Args.Add("--cluster-announce-ip");
                    context.Args.Add(RedisClusterNode.Host);
                })
                .WithEndpoint(name: BusEndpointName, scheme: "tcp", isProxied: false)
                .WithUrlForEndpoint(BusEndpointName, url => url.DisplayText = "cluster bus")
                .WithParentRelationship(cluster);
            bus = node.GetEndpoint(BusEndpointName);
            return new RedisClusterNode(name, startsAsMaster, masterIndex, node.GetEndpoint(RedisServerExecutable.EndpointName), bus);
        }

        var controller = new RedisClusterController(resource, password.Resource);
        var healthKey = $"{TradingRedis.ResourceName}-cluster-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthKey, controller.CheckHealthAsync);
        cluster.WithHealthCheck(healthKey)
            .OnInitializeResource((_, @event, _) =>
            {
                var stopping = @event.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
                _ = Task.Run(() => controller.RunAsync(@event.Notifications, @event.Logger, stopping), stopping);
                return Task.CompletedTask;
            });

        // Every master's address: StackExchange.Redis discovers the rest of the cluster from any of them.
        var connectionString = new ReferenceExpressionBuilder();
        foreach (var master in resource.Nodes.Where(n => n.StartsAsMaster))
        {
            connectionString.AppendLiteral($"{RedisClusterNode.Host}:");
            connectionString.AppendFormatted(master.Endpoint.Property(EndpointProperty.Port));
            connectionString.AppendLiteral(",");
        }

        connectionString.AppendLiteral("password=");
        connectionString.AppendFormatted(password.Resource);
        var connection = builder.AddConnectionString(TradingRedis.ExecutableConnectionResourceName, connectionString.Build());
        return new RedisDeployment(connection, cluster, "cluster");
    }
}
