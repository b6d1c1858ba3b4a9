using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using TradingAspire.AppHost;
using TradingAspire.Contracts;
using TradingAspire.MarketPrices;
using TradingAspire.Risk;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Integration;

/// <summary>
/// Three risk and three execution replicas on the real AppHost: each a consumer of its group under a stable name, traces
/// naming the replica that ran each stage, a replica killed mid-flow losing and duplicating nothing, and one client's
/// concurrent orders spread over the risk replicas never passing its position limit.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(ReplicatedTradingAppCollection.Name)]
public sealed class ReplicaTests(ReplicatedTradingAppFixture app)
{
    [Fact]
    public async Task Each_replica_is_a_named_consumer_and_traces_say_which_replica_ran_each_stage()
    {
        var risk = ServiceProcess.FindAll("Risk");
        Assert.Equal(Enumerable.Range(0, ReplicatedTradingAppFixture.RiskReplicas), risk.Select(p => p.Replica ?? -1).Order());

        await using var driver = new OrderDriver(app, "test-replicas", perSecond: 20);
        await Eventually.True(() => Task.FromResult(driver.Acknowledged.Count >= 40), TimeSpan.FromSeconds(30), "orders to flow");
        await driver.StopAsync();
        var report = await DeliveryAudit.AuditAsync(app, "replicas", driver, TimeSpan.FromSeconds(60));
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.Duplicated);

        var db = app.Redis.GetDatabase();
        foreach (var (stream, group, replicas) in new[]
                 {
                     (OrderStreams.New, ResourceNames.Risk, ReplicatedTradingAppFixture.RiskReplicas),
                     (OrderStreams.Approved, ResourceNames.Execution, ReplicatedTradingAppFixture.ExecutionReplicas),
                 })
        {
            var consumers = (await db.StreamConsumerInfoAsync(stream, group)).Select(c => c.Name.ToString()).ToHashSet();
            Assert.Superset(Enumerable.Range(0, replicas).Select(i => $"{group}-{i}").ToHashSet(), consumers);
        }

        // service.instance.id (the Jaeger view's process tags) names the replica of each span: the orders' risk and
        // execution stages ran on more than one replica, each one a running process's instance id.
        var instances = new Dictionary<string, HashSet<string>> { ["risk"] = [], ["execution"] = [] };
        foreach (var orderId in driver.Acknowledged.Keys.Take(30))
        {
            var trace = await app.WaitForTraceAsync(orderId, t => t.Spans.Any(s => s.Name == Stages.Execute));
            var ran = await InstancesAsync(trace.TraceId);
            foreach (var (service, seen) in instances)
            {
                seen.UnionWith(ran[service]);
            }
        }

        var running = ServiceProcess.FindAll("Risk").Concat(ServiceProcess.FindAll("Execution"))
            .Select(p => ServiceProcess.Environment(p.Pid, "OTEL_RESOURCE_ATTRIBUTES")?.Split("service.instance.id=").Last())
            .OfType<string>().ToHashSet();
        Assert.All(instances, pair => Assert.True(pair.Value.Count >= 2, $"{pair.Key} ran on {pair.Value.Count} replica(s): {string.Join(", ", pair.Value)}"));
        Assert.Subset(running, instances.Values.SelectMany(v => v).ToHashSet());
    }

    [Fact]
    public async Task Kill_9_of_one_execution_replica_mid_flow_loses_and_duplicates_no_acknowledged_order()
    {
        await using var driver = new OrderDriver(app, "test-replica-kill", perSecond: 15);
        await Eventually.True(() => Task.FromResult(driver.Acknowledged.Count >= 10), TimeSpan.FromSeconds(30), "orders to flow");

        var db = app.Redis.GetDatabase();
        var (pid, replica) = ServiceProcess.FindAll("Execution").Where(p => p.Replica is not null).MaxBy(p => p.Replica!.Value);
        var consumer = MidFlowKill.ConsumerName(ResourceNames.Execution, pid);
        Assert.Equal($"{ResourceNames.Execution}-{replica}", consumer);
        var stranded = await MidFlowKill.KillWhileHoldingAsync(db, pid, OrderStreams.Approved, ResourceNames.Execution, consumer, TimeSpan.FromSeconds(30));
        Assert.NotEmpty(stranded);

        // The other replicas take the dead one's entries over (after Messaging:ClaimIdleTime) while orders keep coming.
        await Eventually.True(async () => (await db.StreamPendingMessagesAsync(OrderStreams.Approved, ResourceNames.Execution, 100, consumer)).Length == 0,
            TimeSpan.FromSeconds(30), $"{consumer}'s pending entries to be claimed by the other replicas");
        var before = driver.Acknowledged.Count;
        await Eventually.True(() => Task.FromResult(driver.Acknowledged.Count >= before + 10), TimeSpan.FromSeconds(30), "orders to keep being acknowledged");
        await driver.StopAsync();

        var report = await DeliveryAudit.AuditAsync(app, $"kill -9 of {consumer}", driver, TimeSpan.FromSeconds(90), $"{stranded.Count} entries of {Streams.OrdersApproved}");
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.Duplicated);
        Assert.Equal(report.Acknowledged, report.Filled);
        Assert.Equal(report.Acknowledged, report.NotifiedOnce);
    }

    [Fact]
    public async Task Concurrent_orders_of_one_client_across_risk_replicas_never_pass_its_position_limit()
    {
        // Orders of ~1,000 USD against a 10,500 USD position limit: exactly 10 fit, whatever the order they arrive in.
        var price = await BtcPriceAsync();
        var quantity = Math.Round(1_000m / price, 6);
        var notional = quantity * price;
        var fits = (int)Math.Floor(ReplicatedTradingAppFixture.LimitNotional / notional);
        Assert.Equal(10, fits);

        const string client = ReplicatedTradingAppFixture.LimitClient;
        var accepted = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ =>
            app.PostOrderAsync(client, new { clientId = client, symbol = "BTC-USD", side = "BUY", type = "MARKET", quantity })));
        var finals = await Task.WhenAll(accepted.Select(a => app.WaitForFinalAsync(client, a.GetProperty("orderId").GetString()!, TimeSpan.FromSeconds(60))));

        var filled = finals.Count(f => f!.Value.GetProperty("status").GetString() == "Filled");
        var overLimit = finals.Count(f => f!.Value.GetProperty("status").GetString() == "Rejected" &&
                                        f.Value.GetProperty("reason").GetString()!.StartsWith(RiskReasons.PositionLimit, StringComparison.Ordinal));
        Assert.Equal(fits, filled);
        Assert.Equal(40 - fits, overLimit);

        // The decisions were taken on more than one risk replica at once.
        var deciders = new HashSet<string>();
        foreach (var final in finals.Take(20))
        {
            var trace = await app.WaitForTraceAsync(final!.Value.GetProperty("orderId").GetString()!, t => t.Spans.Any(s => s.Name == Stages.Risk));
            deciders.UnionWith((await InstancesAsync(trace.TraceId))["risk"]);
        }

        Assert.True(deciders.Count >= 2, $"risk decisions ran on {deciders.Count} replica(s)");
    }

    /// <summary>Per service, the <c>service.instance.id</c> of each of its processes in a trace (the Jaeger view's process tags).</summary>
    private async Task<ILookup<string, string>> InstancesAsync(string traceId)
    {
        var jaeger = await app.TraceAnalytics.GetFromJsonAsync<JsonElement>($"/api/traces/{traceId}/jaeger");
        return jaeger.GetProperty("data")[0].GetProperty("processes").EnumerateObject()
            .SelectMany(p => p.Value.GetProperty("tags").EnumerateArray()
                .Where(t => t.GetProperty("key").GetString() == "service.instance.id")
                .Select(t => (Service: p.Value.GetProperty("serviceName").GetString()!, Instance: t.GetProperty("value").GetString()!)))
            .ToLookup(x => x.Service, x => x.Instance);
    }

    private async Task<decimal> BtcPriceAsync()
    {
        var entries = await app.Redis.GetDatabase().HashGetAllAsync(BookKeys.HashKey);
        var asks = entries.Select(e => JsonSerializer.Deserialize<BookQuote>(e.Value.ToString(), TradingJson.Options)!)
            .Where(q => q.Symbol == "BTC-USD" && q.Ask > 0).Select(q => q.Ask).ToList();
        Assert.NotEmpty(asks);
        return asks.Max();
    }
}
