using System.Diagnostics;
using StackExchange.Redis;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Integration;

[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(TradingAppCollection.Name)]
public sealed class DeadLetterTests(TradingAppFixture app)
{
    [Theory]
    [InlineData("{not json")]
    [InlineData("{\"orderId\": \"x\"}")]
    public async Task Poison_entry_is_dead_lettered_with_its_trace_id_and_later_orders_still_fill(string payload)
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var db = app.Redis.GetDatabase();
        var poisonId = (await db.StreamAddAsync(OrderStreams.New,
        [
            new NameValueEntry("payload", payload),
            new NameValueEntry("type", "NewOrder"),
            new NameValueEntry("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01"),
        ])).ToString();

        var dead = await Eventually.Get(async () =>
        {
            var entries = await db.StreamRangeAsync(OrderStreams.NewDead);
            return entries.Where(e => e["dead.source_id"] == poisonId).Select(e => (StreamEntry?)e).FirstOrDefault() is { } found
                ? new DeadEntry(found) : null;
        }, TimeSpan.FromSeconds(20), "the poison entry in orders.new.dead");

        Assert.Equal(traceId, dead.Entry["dead.trace_id"].ToString());
        Assert.Equal("poison_message", dead.Entry["dead.error_type"].ToString());
        Assert.Equal(payload, dead.Entry["payload"].ToString());
        Assert.Equal(ResourceNames.Risk, dead.Entry["dead.group"].ToString());
        Assert.False(string.IsNullOrEmpty(dead.Entry["dead.error"].ToString()));
        Assert.Equal(OrderStreams.New, dead.Entry["dead.source_stream"].ToString());
        Assert.Equal("1", dead.Entry["dead.delivery_count"].ToString()); // poison is not retried
        // Moved, not copied: the poison entry is acknowledged in the same transaction, so nothing is left pending for it.
        Assert.Empty(await db.StreamPendingMessagesAsync(OrderStreams.New, ResourceNames.Risk, 1, RedisValue.Null, poisonId, poisonId));

        var accepted = await app.PostOrderAsync("test-after-poison", new { clientId = "test-after-poison", symbol = "SOL-USD", side = "BUY", type = "MARKET", quantity = 3 });
        var order = (await app.WaitForFinalAsync("test-after-poison", accepted.GetProperty("orderId").GetString()!))!.Value;
        Assert.Equal("Filled", order.GetProperty("status").GetString());
    }

    private sealed record DeadEntry(StreamEntry Entry);
}
