using System.Diagnostics;
using System.Net;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using TradingAspire.Tests.Support;
using Xunit.Abstractions;

namespace TradingAspire.Tests.Integration;

/// <summary>A master killed with SIGKILL: its replica takes its slots over within the node timeout (2 s) plus an election.</summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterFailoverTests(RedisClusterAppFixture cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task A_killed_master_is_replaced_by_its_replica_and_writes_to_its_slots_succeed_again()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        const string key = "{failover}:probe";
        var config = await cluster.WaitForFullClusterAsync(TimeSpan.FromSeconds(30));
        var master = config.GetBySlot(cluster.Redis.HashSlot(key))!;
        var replica = master.Children.Single();
        var masterName = cluster.NodeAt(master.EndPoint!);
        var replicaName = cluster.NodeAt(replica.EndPoint!);

        // A client as a service would hold one: connected before the crash, failing fast while a node is away.
        var options = ConfigurationOptions.Parse(cluster.ConnectionString);
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.AsyncTimeout = options.SyncTimeout = 500;
        options.ConnectTimeout = 500;
        await using var client = await ConnectionMultiplexer.ConnectAsync(options);
        await client.GetDatabase().StringSetAsync(key, "before");

        var pid = RedisClusterAppFixture.PidOf(cluster.App, masterName);
        var clock = Stopwatch.StartNew();
        Process.GetProcessById(pid).Kill();

        // The replica promotes itself once the masters agree its master failed (node timeout, then an election).
        var replicaServer = cluster.Redis.GetServer(replica.EndPoint!);
        await Eventually.True(async () =>
        {
            var self = (await replicaServer.ClusterNodesAsync())!.Nodes.Single(n => n.IsMyself);
            return !self.IsReplica && self.Slots.Any(s => s.From <= cluster.Redis.HashSlot(key) && cluster.Redis.HashSlot(key) <= s.To);
        }, TimeSpan.FromSeconds(20), $"{replicaName} to take over the slots of {masterName}");
        var promoted = clock.Elapsed;

        await Eventually.True(async () => await client.GetDatabase().StringSetAsync(key, "after"), TimeSpan.FromSeconds(30), $"a write to {key} to succeed again");
        var writable = clock.Elapsed;
        output.WriteLine($"kill -9 {masterName} (pid {pid}): {replicaName} master after {promoted.TotalSeconds:0.00} s; a write through a client connected before succeeded after {writable.TotalSeconds:0.00} s");
        Assert.Equal("after", (string?)await client.GetDatabase().StringGetAsync(key));
        Assert.True(promoted < TimeSpan.FromSeconds(10), $"promotion took {promoted.TotalSeconds:0.0} s (node timeout 2 s)");

        // Started again through Aspire, the old master rejoins as a replica of the node that replaced it.
        await cluster.App.ResourceNotifications.WaitForResourceAsync(masterName,
            e => e.Snapshot.State?.Text is "Exited" or "Finished" or "FailedToStart", cts.Token).WaitAsync(cts.Token);
        var start = await cluster.App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(masterName, KnownResourceCommands.StartCommand, cts.Token);
        Assert.True(start.Success, start.Message);
        var healed = await cluster.WaitForFullClusterAsync(TimeSpan.FromSeconds(60));
        var rejoined = healed.Nodes.Single(n => cluster.NodeAt(n.EndPoint!) == masterName);
        Assert.True(rejoined.IsReplica);
        Assert.Equal(replicaName, cluster.NodeAt(healed.Nodes.Single(n => n.NodeId == rejoined.ParentNodeId).EndPoint!));
        await cluster.App.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Redis, cts.Token).WaitAsync(cts.Token);
        output.WriteLine($"{masterName} back as a replica of {replicaName} after {clock.Elapsed.TotalSeconds:0.0} s");
    }
}
