using System.Text.Json;
using StackExchange.Redis;
using TradingAspire.Contracts;
using TradingAspire.OrderStore;
using TradingAspire.Tests.Support;
using Xunit.Abstractions;

namespace TradingAspire.Tests.Integration;

/// <summary>
/// The order pipeline on a local Redis Cluster, partitioned by client (3 partitions, one per master):
/// orders of every partition go the whole way, each partition's streams and keys on one master, and a client's
/// orders stay in the order they were accepted.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(ClusterTradingAppCollection.Name)]
public sealed class ClusterOrderTests(ClusterTradingAppFixture app, ITestOutputHelper output)
{
    [Fact]
    public async Task Orders_of_every_partition_end_filled_or_rejected_in_one_trace_each_with_each_partition_on_its_own_master()
    {
        var clients = app.ClientPerPartition("test-cluster-flow");
        var orders = new List<(string Client, string OrderId, string Expected)>();
        foreach (var client in clients)
        {
            foreach (var (quantity, expected) in new[] { (0.01m, "Filled"), (100m, "Rejected") })
            {
                var accepted = await app.PostOrderAsync(client, new { clientId = client, symbol = "BTC-USD", side = "BUY", type = "MARKET", quantity });
                orders.Add((client, accepted.GetProperty("orderId").GetString()!, expected));
            }
        }

        foreach (var (client, orderId, expected) in orders)
        {
            var final = await app.WaitForFinalAsync(client, orderId, TimeSpan.FromSeconds(60));
            Assert.Equal(expected, final!.Value.GetProperty("status").GetString());
        }

        // One trace per order, gateway to notification; its consumer spans name the partition.
        foreach (var (client, orderId, expected) in orders)
        {
            var partition = app.Partitions.Tag(app.Partitions.Of(client))[1..^1];
            var trace = await app.WaitForTraceAsync(orderId, t => t.Has("order.receive") && t.Has("risk.check") && t.Has("order.notify") &&
                (expected == "Rejected" || t.Has("order.execute")), TimeSpan.FromSeconds(30));
            Assert.All(trace.Spans, s => Assert.Equal(trace.TraceId, s.TraceId));
            Assert.Equal(partition, trace.First("process orders.new").Attribute("messaging.destination.partition.id"));
            Assert.Equal(Streams.OrdersNew + "{" + partition + "}", trace.First("process orders.new").Attribute("messaging.destination.name"));
        }

        // Each partition's streams and its clients' keys share one slot (Redis's own CLUSTER KEYSLOT agrees with ours), on its own master.
        var config = await app.ClusterNodesAsync();
        var server = app.Redis.GetServers().First(s => s.IsConnected && !s.IsReplica);
        var masters = new List<string>();
        foreach (var (client, orderId, _) in orders.Where(o => o.Expected == "Filled"))
        {
            var tag = app.Partitions.TagOf(client);
            string[] keys =
            [
                OrderKeys.Order(tag, orderId), app.Partitions.StreamOf(Streams.OrdersNew, client), app.Partitions.StreamOf(Streams.OrdersFilled, client),
                StreamPartitions.DeadLetterStream(app.Partitions.StreamOf(Streams.OrdersApproved, client)), "risk:position:" + tag + ":" + client,
            ];
            var slots = new HashSet<long>();
            foreach (var key in keys)
            {
                var slot = (long)await server.ExecuteAsync("CLUSTER", "KEYSLOT", key);
                Assert.Equal(RedisHashSlot.Of(key), slot);
                slots.Add(slot);
            }

            Assert.Single(slots);
            Assert.True(await app.Redis.GetDatabase().KeyExistsAsync(keys[0]), $"{keys[0]} is stored");
            masters.Add(app.ResourceOf(config.GetBySlot((int)slots.Single())!));
        }

        output.WriteLine($"partitions p0..p2 on {string.Join(", ", masters)}");
        Assert.Equal(3, masters.Distinct().Count());

        // The accepts, child orders and venue claims waited for a replica (WAIT) before they were promised on.
        long waits = 0;
        foreach (var master in app.Redis.GetServers().Where(s => s.IsConnected && !s.IsReplica))
        {
            var stats = (string?)await master.ExecuteAsync("INFO", "commandstats") ?? "";
            var line = stats.Split('\n').FirstOrDefault(l => l.StartsWith("cmdstat_wait:calls=", StringComparison.Ordinal));
            waits += line is null ? 0 : long.Parse(line["cmdstat_wait:calls=".Length..line.IndexOf(',', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
        }

        Assert.True(waits >= orders.Count(o => o.Expected == "Filled") * 3, $"{waits} WAITs for {orders.Count} orders");
    }

    [Fact]
    public async Task Each_clients_orders_stay_in_acceptance_order_on_its_partition_while_many_clients_send_at_once()
    {
        const int perClient = 15;
        var clients = app.ClientPerPartition("test-cluster-order", perPartition: 3);
        var sent = new Dictionary<string, List<string>>();
        await Task.WhenAll(clients.Select(async client =>
        {
            var ids = new List<string>();
            for (var i = 0; i < perClient; i++)
            {
                // One after the other per client (each sent once the previous was acknowledged), all clients at once.
                var accepted = await app.PostOrderAsync(client, new { clientId = client, symbol = "ETH-USD", side = i % 2 == 0 ? "BUY" : "SELL", type = "MARKET", quantity = 0.01m });
                ids.Add(accepted.GetProperty("orderId").GetString()!);
            }

            lock (sent)
            {
                sent[client] = ids;
            }
        }));

        var db = app.Redis.GetDatabase();
        var byStream = new Dictionary<string, List<(string Client, string OrderId)>>();
        foreach (var stream in app.Partitions.AllStreams(Streams.OrdersNew))
        {
            byStream[stream] = (await db.StreamRangeAsync(stream)).Select(e =>
            {
                var order = JsonSerializer.Deserialize<JsonElement>(e["payload"].ToString());
                return (order.GetProperty("clientId").GetString()!, order.GetProperty("orderId").GetString()!);
            }).ToList();
        }

        foreach (var client in clients)
        {
            var own = app.Partitions.StreamOf(Streams.OrdersNew, client);
            Assert.Equal(sent[client], byStream[own].Where(e => e.Client == client).Select(e => e.OrderId));
            Assert.All(byStream.Where(s => s.Key != own), s => Assert.DoesNotContain(s.Value, e => e.Client == client));
        }

        // Clients of all three partitions were interleaved: the partitions carried their traffic side by side.
        Assert.All(app.Partitions.AllStreams(Streams.OrdersNew), s => Assert.True(byStream[s].Count(e => clients.Contains(e.Client)) >= 3 * perClient, s));
        foreach (var client in clients)
        {
            foreach (var orderId in sent[client])
            {
                await app.WaitForFinalAsync(client, orderId, TimeSpan.FromSeconds(60));
            }
        }
    }
}
