using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StackExchange.Redis;
using TradingAspire.Contracts;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Integration;

[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(TradingAppCollection.Name)]
public sealed class DeadLetterReplayTests(TradingAppFixture app)
{
    [Fact]
    public async Task A_replayed_dead_letter_is_processed_in_its_original_trace()
    {
        // A well-formed order that was dead-lettered (say, by a bug since fixed), as the consumer wrote it.
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var orderId = Guid.NewGuid().ToString("N");
        var order = new NewOrder(orderId, "test-replay", "SOL-USD", OrderSide.Buy, OrderType.Market, 2m, null, DateTimeOffset.UtcNow);
        var db = app.Redis.GetDatabase();
        var deadId = (await db.StreamAddAsync(OrderStreams.NewDead,
        [
            new NameValueEntry("payload", JsonSerializer.Serialize(order, TradingJson.Options)),
            new NameValueEntry("type", "NewOrder"),
            new NameValueEntry("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01"),
            new NameValueEntry("baggage", $"trading.order_id={orderId},trading.client_id=test-replay"),
            new NameValueEntry("dead.source_stream", OrderStreams.New),
            new NameValueEntry("dead.source_id", "1-0"),
            new NameValueEntry("dead.group", ResourceNames.Risk),
            new NameValueEntry("dead.error_type", "InvalidOperationException"),
            new NameValueEntry("dead.error", "a bug, since fixed"),
            new NameValueEntry("dead.delivery_count", "5"),
            new NameValueEntry("dead.trace_id", traceId),
        ])).ToString();

        using var admin = app.AdminClient(ResourceNames.Gateway);
        var listed = await admin.GetFromJsonAsync<JsonElement>($"/admin/dead-letters/{Uri.EscapeDataString(OrderStreams.NewDead)}?count=1000");
        Assert.Contains(listed.EnumerateArray(), e => e.GetProperty("id").GetString() == deadId && e.GetProperty("traceId").GetString() == traceId);

        using var replay = await admin.PostAsync($"/admin/dead-letters/{Uri.EscapeDataString(OrderStreams.NewDead)}/{deadId}/replay", null);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(traceId, (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("traceId").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/admin/dead-letters/{Uri.EscapeDataString(OrderStreams.NewDead)}/{deadId}/replay", null)).StatusCode);

        var final = (await app.WaitForFinalAsync("test-replay", orderId))!.Value;
        Assert.Equal("Filled", final.GetProperty("status").GetString());
        var trace = await app.WaitForTraceAsync(orderId, t => t.Has("process orders.new") && t.Has("order.notify"));
        Assert.Equal(traceId, trace.TraceId);
    }
}
