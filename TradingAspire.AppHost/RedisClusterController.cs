using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace TradingAspire.AppHost;

/// <summary>What the nodes say about the cluster, summed up: healthy only when every slot is served by a master that says <c>cluster_state:ok</c>.</summary>
internal sealed record ClusterStatus(bool Healthy, string Summary, IReadOnlyDictionary<string, string> NodeRoles);

/// <summary>
/// Runs the cluster resource: waits until every node answers, forms the cluster
/// (<see cref="RedisClusterFormation"/>), then shows on the dashboard every 2 s which node serves which
/// slots; and answers the cluster's health check.
/// </summary>
internal sealed class RedisClusterController(RedisClusterResource cluster, ParameterResource password)
{
    private static readonly TimeSpan FormTimeout = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);
    private const string NodePropertyPrefix = "node.";

    private readonly ConcurrentDictionary<string, string> _nameById = new();
    private volatile ConnectionMultiplexer? _connection;

    public async Task RunAsync(ResourceNotificationService notifications, ILogger log, CancellationToken stopping)
    {
        ConnectionMultiplexer? connection = null;
        try
        {
            foreach (var node in cluster.Nodes)
            {
                await notifications.WaitForResourceHealthyAsync(node.Name, stopping);
            }

            await notifications.PublishUpdateAsync(cluster, s => s with
            {
                State = new ResourceStateSnapshot("Forming", KnownResourceStateStyles.Info),
                StartTimeStamp = DateTime.UtcNow,
            });
            connection = await ConnectAsync();
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping))
            {
                timeout.CancelAfter(FormTimeout);
                await RedisClusterFormation.FormAsync(cluster, node => ServerOf(connection, node), log, timeout.Token);
            }

            _connection = connection;
            await notifications.PublishUpdateAsync(cluster, s => s with { State = KnownResourceStates.Running });
            using var timer = new PeriodicTimer(RefreshInterval);
            do
            {
                try
                {
                    var status = await ReadStatusAsync(connection);
                    await notifications.PublishUpdateAsync(cluster, s => s with { Properties = WithStatus(s.Properties, status) });
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException or FormatException)
                {
                    log.LogWarning("Could not read the cluster's state: {Message}", ex.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stopping));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            log.LogError(ex, "The Redis Cluster could not be formed within {Timeout} s: {Message}", FormTimeout.TotalSeconds, ex.Message);
            await notifications.PublishUpdateAsync(cluster, s => s with { State = KnownResourceStates.FailedToStart });
        }
        finally
        {
            _connection = null;
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    public async Task<HealthCheckResult> CheckHealthAsync(CancellationToken cancellationToken)
    {
        if (_connection is not { } connection)
        {
            return HealthCheckResult.Unhealthy("The cluster is not formed yet.");
        }

        var status = await ReadStatusAsync(connection);
        return status.Healthy ? HealthCheckResult.Healthy(status.Summary) : HealthCheckResult.Unhealthy(status.Summary);
    }

    /// <summary>Every node's view, and <c>CLUSTER INFO</c> of each node serving slots; a node that does not answer is down.</summary>
    private async Task<ClusterStatus> ReadStatusAsync(ConnectionMultiplexer connection)
    {
        var views = new List<ClusterNodeView>();
        foreach (var node in cluster.Nodes)
        {
            try
            {
                var view = await RedisClusterFormation.ReadViewAsync(node, ServerOf(connection, node));
                _nameById[view.Myself.Id] = node.Name;
                views.Add(view);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
            }
        }

        var serving = views.Where(v => v.Myself.IsMaster && v.Myself.SlotCount > 0).ToList();
        var covered = new bool[RedisClusterTopology.SlotCount];
        var problems = new List<string>();
        foreach (var master in serving)
        {
            foreach (var range in master.Myself.Slots)
            {
                Array.Fill(covered, true, range.Start, range.Count);
            }

            var info = await InfoAsync(connection, master.Node);
            if (info.GetValueOrDefault("cluster_state") != "ok" || info.GetValueOrDefault("cluster_slots_ok") != RedisClusterTopology.SlotCount.ToString(CultureInfo.InvariantCulture))
            {
                problems.Add($"{master.Node.Name}: cluster_state {info.GetValueOrDefault("cluster_state", "?")}, cluster_slots_ok {info.GetValueOrDefault("cluster_slots_ok", "?")}");
            }
        }

        var servedSlots = covered.AsSpan().Count(true);
        var replicas = views.Count(v => v.Myself.IsReplica);
        var summary = $"{serving.Count} masters serve {servedSlots} of {RedisClusterTopology.SlotCount} slots, {replicas} replicas, " +
            $"{cluster.Nodes.Count - views.Count} nodes down" + (problems.Count > 0 ? "; " + string.Join("; ", problems) : "");
        var roles = cluster.Nodes.ToDictionary(n => n.Name, n => views.FirstOrDefault(v => v.Node == n) is { } view ? Role(view.Myself) : "down");
        return new ClusterStatus(servedSlots == RedisClusterTopology.SlotCount && problems.Count == 0, summary, roles);
    }

    private string Role(ClusterNodeLine myself) =>
        myself.IsReplica
            ? $"replica of {(myself.MasterId is { } id ? _nameById.GetValueOrDefault(id, id) : "?")}"
            : $"master, slots {(myself.SlotCount == 0 ? "none" : string.Join(" ", myself.Slots))}";

    private static async Task<IReadOnlyDictionary<string, string>> InfoAsync(ConnectionMultiplexer connection, RedisClusterNode node)
    {
        try
        {
            return RedisClusterTopology.ParseInfo((string?)await ServerOf(connection, node).ExecuteAsync("CLUSTER", "INFO") ?? "");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return new Dictionary<string, string>();
        }
    }

    private static ImmutableArray<ResourcePropertySnapshot> WithStatus(ImmutableArray<ResourcePropertySnapshot> properties, ClusterStatus status) =>
    [
        .. properties.Where(p => p.Name != "cluster.status" && !p.Name.StartsWith(NodePropertyPrefix, StringComparison.Ordinal)),
        new("cluster.status", status.Summary),
        .. status.NodeRoles.Select(role => new ResourcePropertySnapshot(NodePropertyPrefix + role.Key, role.Value)),
    ];

    private async Task<ConnectionMultiplexer> ConnectAsync()
    {
        var configuration = new ConfigurationOptions
        {
            Password = await password.GetValueAsync(default),
            AllowAdmin = true,
            AbortOnConnectFail = false,
            ConnectTimeout = 2000,
            ClientName = "apphost-redis-cluster",
        };
        foreach (var node in cluster.Nodes)
        {
            configuration.EndPoints.Add(IPAddress.Loopback, node.Port);
        }

        return await ConnectionMultiplexer.ConnectAsync(configuration);
    }

    private static IServer ServerOf(ConnectionMultiplexer connection, RedisClusterNode node) =>
        connection.GetServer(new IPEndPoint(IPAddress.Loopback, node.Port));
}
