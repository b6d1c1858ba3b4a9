using System.Net;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Integration;

/// <summary>
/// <c>--Redis:Mode=cluster</c>: the cluster the AppHost forms, seen through the connection string it hands
/// the services. The script tests state the constraint the services' key layout must meet on a cluster.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterTests(RedisClusterAppFixture cluster)
{
    private const string TwoKeyScript = "redis.call('SET', KEYS[1], ARGV[1]); redis.call('SET', KEYS[2], ARGV[1]); return redis.call('GET', KEYS[2])";

    [Fact]
    public async Task The_cluster_forms_three_masters_with_a_replica_each_serving_every_slot()
    {
        var config = await cluster.WaitForFullClusterAsync(TimeSpan.FromSeconds(30));

        var masters = config.Nodes.Where(n => !n.IsReplica).ToList();
        Assert.Equal(3, masters.Count);
        Assert.Equal(3, config.Nodes.Count(n => n.IsReplica));
        Assert.Equal(16384, masters.Sum(m => m.Slots.Sum(s => s.To - s.From + 1)));
        foreach (var master in masters)
        {
            var info = RedisClusterTopology.ParseInfo((string)(await cluster.Redis.GetServer(master.EndPoint!).ExecuteAsync("CLUSTER", "INFO"))!);
            Assert.Equal("ok", info["cluster_state"]);
            Assert.Equal("16384", info["cluster_slots_ok"]);
            Assert.Equal("6", info["cluster_known_nodes"]);
            Assert.Equal("3", info["cluster_size"]);
        }

        // CLUSTER SLOTS announces each range's master and replica on the ports the node resources listen on,
        // which clients reach directly (no endpoint proxy in between).
        // (A replica is listed once it has synchronised with its master.)
        var slots = await Eventually.Get(async () =>
        {
            var reply = (RedisResult[])(await cluster.Redis.GetServer(masters[0].EndPoint!).ExecuteAsync("CLUSTER", "SLOTS"))!;
            var ranges = reply.Select(r => ((RedisResult[])r!).Skip(2).Select(n => (RedisResult[])n!).ToList()).ToList();
            return ranges.Count == 3 && ranges.All(nodes => nodes.Count == 2) ? ranges : null;
        }, TimeSpan.FromSeconds(30), "CLUSTER SLOTS to list a master and a replica for each of 3 ranges");
        var nodePorts = RedisClusterAppFixture.NodeNames.Select(cluster.PortOf).ToHashSet();
        Assert.All(slots.SelectMany(nodes => nodes), node => Assert.Equal("127.0.0.1", (string)node[0]!));
        Assert.Equal(nodePorts.Order(), slots.SelectMany(nodes => nodes).Select(node => (int)node[1]).Order());

        // The connection string lists the masters the AppHost started.
        var endpoints = ConfigurationOptions.Parse(cluster.ConnectionString).EndPoints.Cast<IPEndPoint>().Select(e => e.Port).Order();
        Assert.Equal(RedisClusterAppFixture.MasterNames.Select(cluster.PortOf).Order(), endpoints);
    }

    [Fact]
    public async Task Keys_with_different_hash_tags_land_on_different_masters_and_keys_sharing_a_tag_share_a_slot()
    {
        var config = await cluster.WaitForFullClusterAsync(TimeSpan.FromSeconds(30));
        var db = cluster.Redis.GetDatabase();

        // One hash tag per master: the first client ids whose tag hashes into each master's slots.
        var keyByMaster = new Dictionary<string, string>();
        for (var i = 0; keyByMaster.Count < 3; i++)
        {
            var key = $"{{client-{i}}}:orders";
            keyByMaster.TryAdd(config.GetBySlot(cluster.Redis.HashSlot(key))!.NodeId, key);
        }

        foreach (var (masterId, key) in keyByMaster)
        {
            await db.StringSetAsync(key, masterId);
            var slot = cluster.Redis.HashSlot(key);
            var master = config.Nodes.Single(n => n.NodeId == masterId);
            var stored = (RedisResult[])(await cluster.Redis.GetServer(master.EndPoint!).ExecuteAsync("CLUSTER", "GETKEYSINSLOT", slot, 10))!;
            Assert.Contains(key, stored.Select(k => (string)k!));
            foreach (var other in config.Nodes.Where(n => !n.IsReplica && n.NodeId != masterId))
            {
                Assert.Equal(0, (long)(await cluster.Redis.GetServer(other.EndPoint!).ExecuteAsync("CLUSTER", "COUNTKEYSINSLOT", slot)));
            }

            Assert.Equal(masterId, (string?)await db.StringGetAsync(key));
        }

        Assert.Equal(3, keyByMaster.Keys.Distinct().Count());
        Assert.Equal(cluster.Redis.HashSlot("{client-7}:orders"), cluster.Redis.HashSlot("{client-7}:idempotency"));
        Assert.NotEqual(cluster.Redis.HashSlot("client-7:orders"), cluster.Redis.HashSlot("client-7:idempotency"));
    }

    [Fact]
    public async Task A_script_over_keys_of_one_slot_runs_and_one_over_keys_of_two_slots_fails_with_CROSSSLOT()
    {
        var config = await cluster.WaitForFullClusterAsync(TimeSpan.FromSeconds(30));
        var db = cluster.Redis.GetDatabase();

        var sameSlot = await db.ScriptEvaluateAsync(TwoKeyScript, ["{order-1}:record", "{order-1}:idempotency"], ["accepted"]);
        Assert.Equal("accepted", (string?)sameSlot);

        RedisKey first = "order-1:record", second = "order-1:idempotency";
        Assert.NotEqual(cluster.Redis.HashSlot(first), cluster.Redis.HashSlot(second));

        // StackExchange.Redis refuses it before sending…
        var refusedByClient = await Assert.ThrowsAsync<RedisCommandException>(() => db.ScriptEvaluateAsync(TwoKeyScript, [first, second], ["accepted"]));
        Assert.Contains("single slot", refusedByClient.Message, StringComparison.OrdinalIgnoreCase);

        // …and Redis refuses it too, on the node serving the first key.
        var owner = config.GetBySlot(cluster.Redis.HashSlot(first))!.EndPoint!;
        var refusedByRedis = await Assert.ThrowsAsync<RedisServerException>(() =>
            cluster.Redis.GetServer(owner).ExecuteAsync("EVAL", TwoKeyScript, 2, (string)first!, (string)second!, "accepted"));
        Assert.StartsWith("CROSSSLOT", refusedByRedis.Message, StringComparison.Ordinal);
        Assert.False(await db.KeyExistsAsync(first));
    }

    [Fact]
    public async Task The_cluster_and_its_nodes_appear_as_resources_with_their_names()
    {
        var model = cluster.App.Services.GetRequiredService<DistributedApplicationModel>();
        var clusterResource = Assert.IsType<RedisClusterResource>(model.Resources.Single(r => r.Name == ResourceNames.Redis));
        Assert.Equal(RedisClusterAppFixture.NodeNames, clusterResource.Nodes.Select(n => n.Name));
        Assert.Contains(model.Resources, r => r.Name == TradingRedis.ExecutableConnectionResourceName && r is IResourceWithConnectionString);

        foreach (var name in RedisClusterAppFixture.NodeNames)
        {
            var node = Assert.IsType<ExecutableResource>(model.Resources.Single(r => r.Name == name));
            Assert.Contains(node.Annotations.OfType<ResourceRelationshipAnnotation>(), a => a.Type == "Parent" && a.Resource == clusterResource);
            await cluster.App.ResourceNotifications.WaitForResourceHealthyAsync(name).WaitAsync(TimeSpan.FromSeconds(30));
        }

        // The cluster resource shows which node serves which slots.
        var snapshot = await cluster.App.ResourceNotifications.WaitForResourceAsync(ResourceNames.Redis,
            e => e.Snapshot.Properties.Count(p => p.Name.StartsWith("node.", StringComparison.Ordinal)) == 6
                && e.Snapshot.Properties.Count(p => p.Name.StartsWith("node.", StringComparison.Ordinal) && $"{p.Value}".StartsWith("master, slots", StringComparison.Ordinal)) == 3)
            .WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(RedisClusterResource.ResourceType, snapshot.Snapshot.ResourceType);
        Assert.Equal(KnownResourceStates.Running, snapshot.Snapshot.State?.Text);
        Assert.Contains(snapshot.Snapshot.Properties, p => p.Name == "cluster.status" && $"{p.Value}".StartsWith("3 masters serve 16384 of 16384 slots", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_node_refuses_a_client_without_the_password_which_is_only_in_its_owner_only_config_file()
    {
        var password = ConfigurationOptions.Parse(cluster.ConnectionString).Password;
        Assert.False(string.IsNullOrEmpty(password));

        foreach (var name in RedisClusterAppFixture.NodeNames)
        {
            var anonymous = new ConfigurationOptions { EndPoints = { { IPAddress.Loopback, cluster.PortOf(name) } }, AbortOnConnectFail = true, ConnectTimeout = 2000 };
            var refused = await Record.ExceptionAsync(async () =>
            {
                await using var connection = await ConnectionMultiplexer.ConnectAsync(anonymous);
                await connection.GetDatabase().PingAsync();
            });
            Assert.NotNull(refused);
            Assert.Contains("NOAUTH", refused.ToString(), StringComparison.OrdinalIgnoreCase);
        }

        foreach (var name in RedisClusterAppFixture.NodeNames)
        {
            // The arguments Aspire started the node with (redis-server overwrites its /proc cmdline with a title).
            cluster.App.ResourceNotifications.TryGetCurrentState(name, out var state);
            var args = state!.Snapshot.Properties.Single(p => p.Name == "executable.args").Value switch
            {
                IEnumerable<string> values => string.Join(" ", values),
                var value => $"{value}",
            };
            Assert.Contains("--cluster-enabled yes", args, StringComparison.Ordinal);
            Assert.DoesNotContain(password!, args, StringComparison.Ordinal);

            var secrets = Path.Combine(cluster.DataRoot, "cluster", name, "secrets.conf");
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secrets));
            }

            Assert.Equal([$"requirepass \"{password}\"", $"masterauth \"{password}\""], await File.ReadAllLinesAsync(secrets));
        }

        var commandLines = Directory.EnumerateDirectories("/proc")
            .Select(dir => Path.Combine(dir, "cmdline"))
            .Select(path => { try { return File.ReadAllText(path).Replace('\0', ' '); } catch (IOException) { return ""; } catch (UnauthorizedAccessException) { return ""; } })
            .ToList();
        Assert.DoesNotContain(commandLines, line => line.Contains(password!, StringComparison.Ordinal));
    }
}
