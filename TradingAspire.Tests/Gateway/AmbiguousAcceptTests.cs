using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using TradingAspire.Contracts;
using TradingAspire.Gateway;
using TradingAspire.Messaging;
using TradingAspire.OrderStore;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Gateway;

/// <summary>
/// The gateway's accept when Redis's reply never arrives: the real gateway on Kestrel, a real
/// redis-server, and a proxy between them that cuts the connection around the accept script.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class AmbiguousAcceptTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly string[] Settings = ["Gateway:AcceptTimeout=00:00:01", "Gateway:AcceptResolveTimeout=00:00:10"];

    private static object Order(string client) => new { clientId = client, symbol = "ETH-USD", side = "BUY", type = "MARKET", quantity = 0.05m };

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, string client, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = JsonContent.Create(Order(client)) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await http.SendAsync(request);
    }

    /// <summary>Entries of orders.new sent by <paramref name="client"/>, by order id.</summary>
    private async Task<List<string>> StreamedOrdersAsync(string client)
    {
        var ids = new List<string>();
        foreach (var entry in await redis.Connection.GetDatabase().StreamRangeAsync(OrderStreams.New))
        {
            var order = JsonSerializer.Deserialize<NewOrder>(entry["payload"].ToString(), TradingJson.Options)!;
            if (order.ClientId == client)
            {
                ids.Add(order.OrderId);
            }
        }

        return ids;
    }

    [Fact]
    public async Task A_reply_lost_after_redis_stored_the_order_is_answered_202_and_the_retry_finds_that_same_order()
    {
        await using var gateway = await GatewayHost.StartAsync(redis.ConnectionString, Settings);
        using var http = gateway.ClientFor("lost-reply");
        await Eventually.True(async () => (await http.GetAsync("/health")).IsSuccessStatusCode, TimeSpan.FromSeconds(20), "the gateway to be healthy");

        gateway.Proxy.CutNext(OrderKeys.FencePrefix, FaultyTcpProxy.Where.AfterTheServer);
        using var first = await PostAsync(http, "lost-reply", "key-1");
        var firstBody = await first.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(1, gateway.Proxy.Cuts);
        Assert.True(first.StatusCode == HttpStatusCode.Accepted, $"Expected 202 after resolving, got {(int)first.StatusCode}: {firstBody}");
        var orderId = firstBody.GetProperty("orderId").GetString()!;

        using var retry = await PostAsync(http, "lost-reply", "key-1");
        var retryBody = await retry.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal(orderId, retryBody.GetProperty("orderId").GetString());
        Assert.True(retryBody.GetProperty("replayed").GetBoolean());

        Assert.Equal([orderId], await StreamedOrdersAsync("lost-reply"));
    }

    [Fact]
    public async Task A_request_cut_before_redis_is_answered_503_and_that_order_can_never_appear_afterwards()
    {
        await using var gateway = await GatewayHost.StartAsync(redis.ConnectionString, Settings);
        using var http = gateway.ClientFor("cut-request");
        await Eventually.True(async () => (await http.GetAsync("/health")).IsSuccessStatusCode, TimeSpan.FromSeconds(20), "the gateway to be healthy");
        var fencesBefore = await FencesAsync();

        gateway.Proxy.CutNext(OrderKeys.FencePrefix, FaultyTcpProxy.Where.BeforeTheServer);
        using var refused = await PostAsync(http, "cut-request", "key-2");
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(1, gateway.Proxy.Cuts);
        Assert.True(refused.StatusCode == HttpStatusCode.ServiceUnavailable, $"Expected 503, got {(int)refused.StatusCode}: {problem}");
        Assert.Equal("Order not accepted", problem.GetProperty("title").GetString());
        Assert.Empty(await StreamedOrdersAsync("cut-request"));

        // The order id the gateway gave up on is fenced: were the lost script to arrive now, it would be refused.
        var fenced = Assert.Single((await FencesAsync()).Except(fencesBefore));
        var late = new NewOrder(fenced, "cut-request", "ETH-USD", OrderSide.Buy, OrderType.Market, 0.05m, null, DateTimeOffset.UtcNow);
        var publisher = gateway.Services.GetRequiredService<IStreamPublisher>();
        using (var entry = publisher.Prepare(StreamPartitions.Single.StreamOf(Streams.OrdersNew, late.ClientId), late))
        {
            var (outcome, _) = await gateway.Services.GetRequiredService<OrderAcceptance>()
                .AcceptAsync(late, JsonSerializer.Serialize(late, TradingJson.Options), "", "key-2", entry);
            Assert.Equal(AcceptOutcome.Fenced, outcome);
        }

        Assert.Empty(await StreamedOrdersAsync("cut-request"));

        // The client's retry with the same key is a new, single order.
        using var retry = await PostAsync(http, "cut-request", "key-2");
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        var retried = (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetString()!;
        Assert.Equal([retried], await StreamedOrdersAsync("cut-request"));
        Assert.NotEqual(fenced, retried);
    }

    private async Task<HashSet<string>> FencesAsync()
    {
        var fences = new HashSet<string>();
        var server = redis.Connection.GetServers()[0];
        await foreach (var key in server.KeysAsync(pattern: OrderKeys.FencePrefix + "*"))
        {
            fences.Add(key.ToString()[(key.ToString().LastIndexOf(':') + 1)..]);
        }

        return fences;
    }
}
