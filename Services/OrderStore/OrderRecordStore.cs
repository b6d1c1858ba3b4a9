using System.Text.Json;
using StackExchange.Redis;
using TradingAspire.Contracts;

namespace TradingAspire.OrderStore;

/// <summary>
/// Orders in Redis hashes (<c>order:&lt;id&gt;</c>), read here: created Accepted by the gateway (its
/// <c>OrderAcceptance</c>), made final exactly once by the notification service (its
/// <c>FinalOutcomeWriter</c>), kept for <see cref="Retention"/>.
/// </summary>
public sealed class OrderRecordStore(IConnectionMultiplexer redis)
{
    public static readonly TimeSpan Retention = OrderKeys.Retention;

    private static string OrderKey(string orderId) => OrderKeys.Order(orderId);

    public async Task<OrderRecord?> GetAsync(string orderId)
    {
        var fields = await redis.GetDatabase().HashGetAsync(OrderKey(orderId), ["order", "status", "traceId", "outcome"]);
        if (fields[0].IsNullOrEmpty)
        {
            return null;
        }

        var order = JsonSerializer.Deserialize<NewOrder>(fields[0].ToString(), TradingJson.Options)!;
        var status = Enum.TryParse<OrderStatus>(fields[1].ToString(), out var s) ? s : OrderStatus.Accepted;
        var outcome = fields[3].IsNullOrEmpty ? null : JsonSerializer.Deserialize<OrderOutcome>(fields[3].ToString(), TradingJson.Options);
        return new OrderRecord(order, status, fields[2].ToString(), outcome);
    }
}
