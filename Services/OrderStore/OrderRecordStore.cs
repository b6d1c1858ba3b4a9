using System.Text.Json;
using StackExchange.Redis;
using TradingAspire.Contracts;

namespace TradingAspire.OrderStore;

/// <summary>
/// Orders in Redis hashes (<c>order:{partition}:&lt;id&gt;</c>, <see cref="OrderKeys"/>), read here: created Accepted by the gateway (its
/// <c>OrderAcceptance</c>), made final exactly once by the notification service (its
/// <c>FinalOutcomeWriter</c>), kept for <see cref="Retention"/>.
/// </summary>
public sealed class OrderRecordStore(IConnectionMultiplexer redis, StreamPartitions partitions)
{
    public static readonly TimeSpan Retention = OrderKeys.Retention;

    private static readonly RedisValue[] Fields = ["order", "status", "traceId", "outcome"];

    /// <summary>Order <paramref name="orderId"/> of <paramref name="clientId"/> (the key is in the client's partition), or null.</summary>
    public async Task<OrderRecord?> GetAsync(string clientId, string orderId)
    {
        var db = redis.GetDatabase();
        var fields = await db.HashGetAsync(OrderKeys.Order(partitions.TagOf(clientId), orderId), Fields);
        if (fields[0].IsNullOrEmpty)
        {
            // Not there: perhaps an order of the layout before partitions, kept for its retention under its old key.
            fields = await db.HashGetAsync(OrderKeys.BeforePartitions(orderId), Fields);
            if (fields[0].IsNullOrEmpty)
            {
                return null;
            }
        }

        var order = JsonSerializer.Deserialize<NewOrder>(fields[0].ToString(), TradingJson.Options)!;
        var status = Enum.TryParse<OrderStatus>(fields[1].ToString(), out var s) ? s : OrderStatus.Accepted;
        var outcome = fields[3].IsNullOrEmpty ? null : JsonSerializer.Deserialize<OrderOutcome>(fields[3].ToString(), TradingJson.Options);
        return new OrderRecord(order, status, fields[2].ToString(), outcome);
    }
}
