using System.Text.Json;
using StackExchange.Redis;
using TradingAspire.Contracts;

namespace TradingAspire.OrderStore;

/// <summary>
/// Orders in Redis hashes (<c>order:&lt;id&gt;</c>): created Accepted by the gateway, finalized exactly
/// once by the notification service (a Lua script refuses a second final state), kept for
/// <see cref="Retention"/>. The gateway creates them (see its <c>OrderAcceptance</c>).
/// </summary>
public sealed class OrderRecordStore(IConnectionMultiplexer redis)
{
    public static readonly TimeSpan Retention = OrderKeys.Retention;

    private const string FinalizeScript = """
        local status = redis.call('HGET', KEYS[1], 'status')
        if status and status ~= 'Accepted' then return 0 end
        redis.call('HSET', KEYS[1], 'status', ARGV[1], 'outcome', ARGV[2])
        redis.call('HSETNX', KEYS[1], 'order', ARGV[3])
        redis.call('HSETNX', KEYS[1], 'traceId', ARGV[4])
        redis.call('EXPIRE', KEYS[1], ARGV[5])
        return 1
        """;

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

    /// <summary>Records the final state unless the order already has one. True when this call finalized it.</summary>
    public async Task<bool> TryFinalizeAsync(NewOrder order, string traceId, OrderOutcome outcome)
    {
        var result = await redis.GetDatabase().ScriptEvaluateAsync(
            FinalizeScript,
            [OrderKey(order.OrderId)],
            [
                outcome.Status.ToString(),
                JsonSerializer.Serialize(outcome, TradingJson.Options),
                JsonSerializer.Serialize(order, TradingJson.Options),
                traceId,
                (long)Retention.TotalSeconds,
            ]);
        return (long)result == 1;
    }
}
