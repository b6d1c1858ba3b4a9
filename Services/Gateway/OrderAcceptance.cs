using StackExchange.Redis;
using TradingAspire.Contracts;
using TradingAspire.Messaging;
using TradingAspire.OrderStore;

namespace TradingAspire.Gateway;

/// <summary>What one accept did in Redis.</summary>
public enum AcceptOutcome
{
    /// <summary>Order stored as Accepted, Idempotency-Key claimed and entry added to <c>orders.new</c>, all at once.</summary>
    Accepted,

    /// <summary>The Idempotency-Key already belongs to another order; nothing was written.</summary>
    Replay,

    /// <summary>The order was fenced off earlier (its first attempt was given up); nothing was written.</summary>
    Fenced,
}

/// <summary>
/// Accepting an order is one Lua script: store the order as Accepted, claim its Idempotency-Key and
/// add it to <c>orders.new</c> — all three happen or none does, so a retry with the same key always
/// finds the first order. When the reply is lost (timeout, dropped connection) the gateway cannot
/// know whether the script ran; <see cref="ResolveAsync"/> then asks Redis, and fences the order id
/// off if it is not there, so that a late arrival of the original script is refused. After that
/// the answer is certain either way.
/// </summary>
public sealed class OrderAcceptance(IConnectionMultiplexer redis, StreamPartitions partitions, ReplicaAcknowledgement replicas)
{
    // KEYS: order hash, fence, stream[, idempotency key]
    // ARGV: order json, trace id, order ttl (s), idempotency ttl (s), order id, then the entry's field/value pairs.
    private const string AcceptScript = """
        if redis.call('EXISTS', KEYS[2]) == 1 then return {'fenced'} end
        if KEYS[4] then
          local prior = redis.call('GET', KEYS[4])
          if prior then return {'replay', prior} end
        end
        redis.call('HSET', KEYS[1], 'order', ARGV[1], 'status', 'Accepted', 'traceId', ARGV[2])
        redis.call('EXPIRE', KEYS[1], ARGV[3])
        if KEYS[4] then redis.call('SET', KEYS[4], ARGV[5], 'EX', ARGV[4]) end
        local id = redis.call('XADD', KEYS[3], '*', unpack(ARGV, 6))
        return {'accepted', id}
        """;

    // KEYS: order hash, fence. ARGV: fence ttl (s). Either the order is there, or it never will be.
    private const string FenceScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 'accepted' end
        redis.call('SET', KEYS[2], '1', 'EX', ARGV[1])
        return 'fenced'
        """;

    private const int FixedArguments = 5;

    /// <summary>Runs the accept script; <paramref name="entry"/> carries the <c>orders.new</c> entry and its span.</summary>
    public async Task<(AcceptOutcome Outcome, string Value)> AcceptAsync(
        NewOrder order, string orderJson, string traceId, string? idempotencyKey, OutgoingEntry entry)
    {
        // entry.Stream is the client's partition of orders.new: every key here shares its hash tag.
        var tag = partitions.TagOf(order.ClientId);
        RedisKey[] keys = idempotencyKey is null
            ? [OrderKeys.Order(tag, order.OrderId), OrderKeys.Fence(tag, order.OrderId), entry.Stream]
            : [OrderKeys.Order(tag, order.OrderId), OrderKeys.Fence(tag, order.OrderId), entry.Stream, OrderKeys.Idempotency(tag, order.ClientId, idempotencyKey)];
        var fields = entry.FieldArguments();
        var args = new RedisValue[FixedArguments + fields.Length];
        args[0] = orderJson;
        args[1] = traceId;
        args[2] = (long)OrderKeys.Retention.TotalSeconds;
        args[3] = (long)OrderKeys.IdempotencyWindow.TotalSeconds;
        args[4] = order.OrderId;
        fields.CopyTo(args, FixedArguments);

        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(AcceptScript, keys, args))!;
        if ((string)result[0]! == "accepted")
        {
            // On a cluster: the 202 promises the order survives its master's failover.
            await replicas.WaitAsync(entry.Stream);
        }

        return ((string)result[0]!) switch
        {
            "accepted" => (AcceptOutcome.Accepted, (string)result[1]!),
            "replay" => (AcceptOutcome.Replay, (string)result[1]!),
            "fenced" => (AcceptOutcome.Fenced, ""),
            var other => throw new InvalidOperationException($"Unexpected accept result '{other}'."),
        };
    }

    /// <summary>
    /// After an accept whose reply was lost: true when the order is stored (the script ran), false
    /// when it is not and is now fenced off for good. Throws when Redis cannot be asked.
    /// </summary>
    public async Task<bool> ResolveAsync(string clientId, string orderId)
    {
        var tag = partitions.TagOf(clientId);
        var result = await redis.GetDatabase().ScriptEvaluateAsync(FenceScript,
            [OrderKeys.Order(tag, orderId), OrderKeys.Fence(tag, orderId)], [(long)OrderKeys.FenceLifetime.TotalSeconds]);
        return (string)result! == "accepted";
    }
}
