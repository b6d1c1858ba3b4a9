using Aspire.Hosting.ApplicationModel;
using StackExchange.Redis;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Integration;

[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(TradingAppCollection.Name)]
public sealed class ReclaimTests(TradingAppFixture app)
{
    [Fact]
    public async Task Stopped_consumer_restarts_reclaims_pending_orders_and_fills_each_exactly_once()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await app.ExecuteCommandAsync(ResourceNames.Execution, KnownResourceCommands.StopCommand);
        await app.App.ResourceNotifications.WaitForResourceAsync(ResourceNames.Execution,
            e => e.Snapshot.State?.Text is "Exited" or "Finished" or "FailedToStart", cts.Token).WaitAsync(TimeSpan.FromSeconds(60), cts.Token);

        var orderIds = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var accepted = await app.PostOrderAsync("test-reclaim", new { clientId = "test-reclaim", symbol = "ETH-USD", side = i % 2 == 0 ? "BUY" : "SELL", type = "MARKET", quantity = 0.1m + i / 100m });
            orderIds.Add(accepted.GetProperty("orderId").GetString()!);
        }

        // Risk approves them onto orders.approved while execution is down.
        var db = app.Redis.GetDatabase();
        await Eventually.True(async () =>
        {
            var approved = await db.StreamRangeAsync(OrderStreams.Approved, "-", "+");
            return orderIds.All(id => approved.Any(e => e["payload"].ToString().Contains(id, StringComparison.Ordinal)));
        }, TimeSpan.FromSeconds(30), "risk to approve all ten orders");

        // A consumer of the execution group takes four of them and dies without acknowledging.
        var taken = await db.StreamReadGroupAsync(OrderStreams.Approved, ResourceNames.Execution, "crashed-execution-consumer", ">", count: 4);
        Assert.Equal(4, taken.Length);
        var takenOrderIds = orderIds.Where(id => taken.Any(e => e["payload"].ToString().Contains(id, StringComparison.Ordinal))).ToList();
        Assert.Equal(4, takenOrderIds.Count);

        await app.ExecuteCommandAsync(ResourceNames.Execution, KnownResourceCommands.StartCommand);
        await app.App.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Execution, cts.Token).WaitAsync(cts.Token);

        foreach (var orderId in orderIds)
        {
            var order = (await app.WaitForFinalAsync("test-reclaim", orderId, TimeSpan.FromSeconds(60)))!.Value;
            Assert.Equal("Filled", order.GetProperty("status").GetString());
            var fill = Assert.Single(order.GetProperty("fills").EnumerateArray());
            Assert.Equal(order.GetProperty("quantity").GetDecimal(), fill.GetProperty("quantity").GetDecimal());
            Assert.Equal(1, await VenueExecutionsAsync(orderId));
        }

        Assert.Empty(await db.StreamPendingMessagesAsync(OrderStreams.Approved, ResourceNames.Execution, 10, "crashed-execution-consumer"));

        // The reclaimed delivery is a new process span, with a delivery count above 1, in the order's one trace.
        var reclaimed = await app.WaitForTraceAsync(takenOrderIds[0], t => t.Has("order.notify") &&
            t.Spans.Any(s => s.Name == "process orders.approved" && int.Parse(s.Attribute("messaging.redis.message.delivery_count") ?? "0") >= 2));
        Assert.Equal(ResourceNames.Execution, reclaimed.First("process orders.approved").ServiceName);
        Assert.All(reclaimed.Spans, s => Assert.Equal(reclaimed.TraceId, s.TraceId));
    }

    /// <summary>How many child orders the venues executed for an order (each ClientOrderId is executed once).</summary>
    private async Task<int> VenueExecutionsAsync(string orderId)
    {
        var server = app.Redis.GetServers()[0];
        var count = 0;
        await foreach (var _ in server.KeysAsync(pattern: $"venue:exec:*:{orderId}-*"))
        {
            count++;
        }

        return count;
    }
}
