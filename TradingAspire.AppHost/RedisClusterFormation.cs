using System.Diagnostics;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace TradingAspire.AppHost;

/// <summary>A node's own view of the cluster (its <c>CLUSTER NODES</c>).</summary>
internal sealed record ClusterNodeView(RedisClusterNode Node, IReadOnlyList<ClusterNodeLine> Lines)
{
    public ClusterNodeLine Myself => Lines.Single(l => l.IsMyself);

    /// <summary>Whether this node knows <paramref name="id"/> at <paramref name="node"/>'s current address (handshake done).</summary>
    public bool Knows(string id, RedisClusterNode node) =>
        Lines.Any(l => l.Id == id && !l.InHandshake && l.IsAt(RedisClusterNode.Host, node.Port, node.BusPort));
}

/// <summary>
/// Forms the cluster with plain cluster commands, idempotently, so the same steps serve a first start
/// and every restart on existing <c>nodes.conf</c> files:
/// 1. a node that owns no slots and was started as master i takes the i-th even share of the slots, unless another node owns some of them;
/// 2. every node is introduced (<c>CLUSTER MEET</c>) to each node it does not know at its current address; on a restart
///    the ports are new, and a MEET to a known node only updates its address (nodes.conf keeps ids, slots and roles);
/// 3. a node started as replica that is still an empty master replicates whichever node now serves its master's slots.
/// A node already formed skips every step.
/// </summary>
internal static class RedisClusterFormation
{
    private static readonly TimeSpan MeetRetryInterval = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public static async Task<IReadOnlyList<ClusterNodeView>> ReadViewsAsync(IReadOnlyList<RedisClusterNode> nodes, Func<RedisClusterNode, IServer> serverOf) =>
        await Task.WhenAll(nodes.Select(node => ReadViewAsync(node, serverOf(node))));

    public static async Task<ClusterNodeView> ReadViewAsync(RedisClusterNode node, IServer server) =>
        new(node, RedisClusterTopology.ParseNodes((string?)await server.ExecuteAsync("CLUSTER", "NODES") ?? ""));

    public static async Task FormAsync(RedisClusterResource cluster, Func<RedisClusterNode, IServer> serverOf, ILogger log, CancellationToken cancellationToken)
    {
        var nodes = cluster.Nodes;
        var masters = nodes.Count(n => n.StartsAsMaster);
        var views = await ReadViewsAsync(nodes, serverOf);
        var ids = views.ToDictionary(v => v.Node.Name, v => v.Myself.Id);
        var fresh = views.All(v => v.Lines.Count == 1 && v.Myself.SlotCount == 0);
        log.LogInformation(fresh
            ? "Forming a new cluster of {Count} nodes."
            : "The {Count} nodes were part of a cluster (nodes.conf): introducing them at their current addresses.", nodes.Count);

        if (fresh)
        {
            // Distinct config epochs up front, as redis-cli does, so no two masters start with the same one.
            for (var i = 0; i < views.Count; i++)
            {
                if (views[i].Myself.ConfigEpoch == 0)
                {
                    await serverOf(views[i].Node).ExecuteAsync("CLUSTER", "SET-CONFIG-EPOCH", i + 1);
                }
            }
        }

        var owned = new bool[RedisClusterTopology.SlotCount];
        foreach (var range in views.SelectMany(v => v.Lines).SelectMany(l => l.Slots))
        {
            Array.Fill(owned, true, range.Start, range.Count);
        }

        foreach (var view in views.Where(v => v.Node.StartsAsMaster && v.Myself.IsMaster && v.Myself.SlotCount == 0))
        {
            var share = RedisClusterTopology.MasterSlots(view.Node.MasterIndex, masters);
            var ownedInShare = owned.AsSpan(share.Start, share.Count).Count(true);
            if (ownedInShare == 0)
            {
                await serverOf(view.Node).ExecuteAsync("CLUSTER", "ADDSLOTSRANGE", share.Start, share.End);
                log.LogInformation("{Node} serves slots {Slots}.", view.Node.Name, share);
            }
            else if (ownedInShare < share.Count)
            {
                throw new InvalidOperationException(
                    $"Slots {share} are partly owned by other nodes; the cluster's nodes.conf files disagree with " +
                    $"Redis:Cluster settings. Stop the AppHost and delete {cluster.DataDir} to form a new cluster.");
            }
        }

        await IntroduceAsync(nodes, ids, serverOf, fresh, log, cancellationToken);
        await ReplicateAsync(cluster, ids, serverOf, log, cancellationToken);
    }

    /// <summary>MEETs until every node knows every other at its current address.</summary>
    private static async Task IntroduceAsync(
        IReadOnlyList<RedisClusterNode> nodes, Dictionary<string, string> ids, Func<RedisClusterNode, IServer> serverOf, bool fresh, ILogger log, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var lastMeet = new Dictionary<(string From, string To), TimeSpan>();
        while (true)
        {
            var views = await ReadViewsAsync(nodes, serverOf);
            var missing = views
                .SelectMany(a => nodes.Where(b => b != a.Node && !a.Knows(ids[b.Name], b)).Select(b => (From: a.Node, To: b)))
                .ToList();
            if (missing.Count == 0)
            {
                log.LogInformation("Every node knows every other ({Elapsed:0} ms).", started.Elapsed.TotalMilliseconds);
                return;
            }

            foreach (var (from, to) in missing)
            {
                // A new cluster: the first node meets everyone, gossip does the rest. Whoever still lacks a
                // node after a while (and every node on a restart) meets it itself.
                var key = (from.Name, to.Name);
                var due = lastMeet.TryGetValue(key, out var last)
                    ? started.Elapsed - last >= MeetRetryInterval
                    : !fresh || from == nodes[0] || started.Elapsed >= MeetRetryInterval;
                if (due)
                {
                    await serverOf(from).ExecuteAsync("CLUSTER", "MEET", RedisClusterNode.Host, to.Port, to.BusPort);
                    lastMeet[key] = started.Elapsed;
                }
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>Each node started as replica that is still an empty master replicates the node serving its master's slots.</summary>
    private static async Task ReplicateAsync(
        RedisClusterResource cluster, Dictionary<string, string> ids, Func<RedisClusterNode, IServer> serverOf, ILogger log, CancellationToken cancellationToken)
    {
        var masters = cluster.Nodes.Count(n => n.StartsAsMaster);
        foreach (var replica in cluster.Nodes.Where(n => !n.StartsAsMaster))
        {
            var firstSlot = RedisClusterTopology.MasterSlots(replica.MasterIndex, masters).Start;
            while (true)
            {
                var view = await ReadViewAsync(replica, serverOf(replica));
                if (view.Myself.IsReplica || view.Myself.SlotCount > 0)
                {
                    break;
                }

                // Slot ownership reaches this node by gossip; wait until it has.
                if (view.Lines.FirstOrDefault(l => l.IsMaster && l.Slots.Any(s => s.Contains(firstSlot))) is { } owner)
                {
                    await serverOf(replica).ExecuteAsync("CLUSTER", "REPLICATE", owner.Id);
                    log.LogInformation("{Replica} replicates {Master}.", replica.Name,
                        ids.FirstOrDefault(kv => kv.Value == owner.Id).Key ?? owner.Id);
                    break;
                }

                await Task.Delay(PollInterval, cancellationToken);
            }
        }
    }
}
