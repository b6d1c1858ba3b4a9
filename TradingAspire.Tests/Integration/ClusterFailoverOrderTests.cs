using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using TradingAspire.Contracts;
using TradingAspire.Tests.Support;
using Xunit.Abstractions;

namespace TradingAspire.Tests.Integration;

/// <summary>
/// A Redis Cluster master killed with SIGKILL while orders flow through the partition it serves: its replica
/// takes over, no acknowledged order is lost or done twice, and the test says how long orders waited.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(ClusterTradingAppCollection.Name)]
public sealed class ClusterFailoverOrderTests(ClusterTradingAppFixture app, ITestOutputHelper output)
{
    [Fact]
    public async Task Kill_9_of_a_master_with_orders_flowing_loses_and_duplicates_no_acknowledged_order()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await using var driver = new OrderDriver(app, "test-cluster-failover", perSecond: 15, clientCount: 6);
        await Eventually.True(() => Task.FromResult(driver.Acknowledged.Count >= 45), TimeSpan.FromSeconds(30), "orders to flow");

        // The master of partition 0's slot: the streams and keys of every client in that partition.
        var slot = RedisHashSlot.Of(app.Partitions.Stream(Streams.OrdersNew, 0));
        var config = await app.ClusterNodesAsync();
        var master = config.GetBySlot(slot)!;
        var masterName = app.ResourceOf(master);
        var replicaName = app.ResourceOf(master.Children.Single());
        var clock = Stopwatch.StartNew();
        var killedAt = DateTimeOffset.UtcNow;
        Process.GetProcessById(app.PidOf(masterName)).Kill();

        await Eventually.True(async () => (await app.ClusterNodesAsync()).GetBySlot(slot) is { IsReplica: false } owner && app.ResourceOf(owner) == replicaName,
            TimeSpan.FromSeconds(30), $"{replicaName} to take over the slots of {masterName}");
        var promoted = clock.Elapsed;

        // Orders keep coming for a while after the failover, then the flow stops and every acknowledged order is audited.
        await Task.Delay(TimeSpan.FromSeconds(10), cts.Token);
        await driver.StopAsync();
        var report = await DeliveryAudit.AuditAsync(app, $"kill -9 of Redis master {masterName}", driver, TimeSpan.FromSeconds(120),
            $"partition p0's master; {replicaName} promoted after {promoted.TotalSeconds:0.0} s");

        // How long the orders accepted around the kill waited from receipt to their final state.
        var waits = new List<(DateTimeOffset Received, bool InPartition0, double Ms)>();
        foreach (var (orderId, client) in driver.Acknowledged)
        {
            using var http = app.ClientFor(ResourceNames.Gateway, client);
            var order = await http.GetFromJsonAsync<JsonElement>($"/orders/{orderId}", cts.Token);
            if (order.TryGetProperty("completedAt", out var completed) && completed.ValueKind == JsonValueKind.String)
            {
                var received = order.GetProperty("receivedAt").GetDateTimeOffset();
                waits.Add((received, app.Partitions.Of(client) == 0, (completed.GetDateTimeOffset() - received).TotalMilliseconds));
            }
        }

        var failoverEnd = killedAt + promoted;
        string Waits(string what, Func<(DateTimeOffset Received, bool InPartition0, double Ms), bool> which)
        {
            var ms = waits.Where(which).Select(w => w.Ms).Order().ToList();
            return ms.Count == 0 ? $"{what}: none" : $"{what} ({ms.Count}): median {ms[ms.Count / 2]:0} ms, max {ms[^1]:0} ms";
        }

        output.WriteLine($"kill -9 {masterName}: {replicaName} promoted after {promoted.TotalSeconds:0.00} s");
        output.WriteLine($"answers: {string.Join(", ", driver.Answers.OrderBy(a => a.Key).Select(a => $"{a.Key} × {a.Value}"))}; unknown (504): {driver.Unknown.Count}");
        output.WriteLine($"{report.Acknowledged} acknowledged: {report.Filled} filled, {report.Rejected} rejected, {report.Failed} failed, {report.Lost} lost, {report.Duplicated} duplicated");
        output.WriteLine("receipt → final:");
        output.WriteLine("  " + Waits("received before the kill", w => w.Received < killedAt));
        output.WriteLine("  " + Waits("received during the failover, partition p0 (the killed master's)", w => w.Received >= killedAt && w.Received < failoverEnd && w.InPartition0));
        output.WriteLine("  " + Waits("received during the failover, partitions p1, p2", w => w.Received >= killedAt && w.Received < failoverEnd && !w.InPartition0));
        output.WriteLine("  " + Waits("received after the promotion", w => w.Received >= failoverEnd));

        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.Duplicated);
        Assert.Equal(report.Acknowledged, report.NotifiedOnce);
        Assert.True(promoted < TimeSpan.FromSeconds(15), $"promotion took {promoted.TotalSeconds:0.0} s");

        // An order whose outcome the gateway could not learn (504) is either final or never appears (fenced off).
        foreach (var (orderId, client) in driver.Unknown)
        {
            using var http = app.ClientFor(ResourceNames.Gateway, client);
            await Eventually.True(async () =>
            {
                using var response = await http.GetAsync($"/orders/{orderId}", cts.Token);
                return response.StatusCode == System.Net.HttpStatusCode.NotFound ||
                       (await response.Content.ReadFromJsonAsync<JsonElement>(cts.Token)).GetProperty("status").GetString() != "Accepted";
            }, TimeSpan.FromSeconds(60), $"order {orderId} (504) to be final or absent");
        }

        // Started again through Aspire, the old master rejoins as a replica: the cluster is whole for the next test.
        await app.App.ResourceNotifications.WaitForResourceAsync(masterName,
            e => e.Snapshot.State?.Text is "Exited" or "Finished" or "FailedToStart", cts.Token).WaitAsync(cts.Token);
        var start = await app.App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(masterName, KnownResourceCommands.StartCommand, cts.Token);
        Assert.True(start.Success, start.Message);
        await Eventually.True(async () => (await app.ClusterNodesAsync()).Nodes.Count(n => n.IsReplica && n.IsConnected) == 3,
            TimeSpan.FromSeconds(60), $"{masterName} to rejoin as a replica");
    }
}
