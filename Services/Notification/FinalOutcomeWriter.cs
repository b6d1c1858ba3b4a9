using System.Text.Json;
using StackExchange.Redis;
using TradingAspire.Contracts;
using TradingAspire.OrderStore;

namespace TradingAspire.Notification;

/// <summary>
/// Records an order's final state and emits its notification in one Lua script: the final state,
/// the entry in the client's recent notifications and the push to every subscribed replica happen
/// together or not at all. A crash can no longer leave an order final with no notification, and a
/// redelivered outcome finds the order final and emits nothing twice (the order hash counts the
/// notifications it caused, in <c>notifications</c>, for audits).
/// </summary>
public sealed class FinalOutcomeWriter(IConnectionMultiplexer redis, StreamPartitions partitions)
{
    // KEYS: order hash, the client's recent-notifications list: both in the client's partition (one slot on a cluster).
    // ARGV: status, outcome json, order json, trace id, order ttl (s), notification json, channel, recent limit, recent ttl (s).
    // Returns {1, subscribers} when this call finalized the order, {0, 0} when it already was final.
    private const string Script = """
        local status = redis.call('HGET', KEYS[1], 'status')
        if status and status ~= 'Accepted' then return {0, 0} end
        redis.call('HSET', KEYS[1], 'status', ARGV[1], 'outcome', ARGV[2])
        redis.call('HSETNX', KEYS[1], 'order', ARGV[3])
        redis.call('HSETNX', KEYS[1], 'traceId', ARGV[4])
        redis.call('HINCRBY', KEYS[1], 'notifications', 1)
        redis.call('EXPIRE', KEYS[1], ARGV[5])
        redis.call('LPUSH', KEYS[2], ARGV[6])
        redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[8]) - 1)
        redis.call('EXPIRE', KEYS[2], ARGV[9])
        local subscribers = redis.call('PUBLISH', ARGV[7], ARGV[6])
        return {1, subscribers}
        """;

    /// <summary>True when this call made the order final (and notified); the number of replicas that received the push.</summary>
    public async Task<(bool Finalized, long Subscribers)> FinalizeAndNotifyAsync(
        NewOrder order, string traceId, OrderOutcome outcome, OrderNotification notification)
    {
        var tag = partitions.TagOf(order.ClientId);
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(
            Script,
            [OrderKeys.Order(tag, order.OrderId), NotificationChannel.RecentKey(tag, order.ClientId)],
            [
                outcome.Status.ToString(),
                JsonSerializer.Serialize(outcome, TradingJson.Options),
                JsonSerializer.Serialize(order, TradingJson.Options),
                traceId,
                (long)OrderKeys.Retention.TotalSeconds,
                JsonSerializer.Serialize(notification, TradingJson.Options),
                NotificationChannel.ChannelName(order.ClientId),
                NotificationChannel.RecentLimit,
                (long)NotificationChannel.RecentRetention.TotalSeconds,
            ]))!;
        return ((long)result[0] == 1, (long)result[1]);
    }
}
