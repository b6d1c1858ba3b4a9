using System.Globalization;
using TradingAspire.Contracts;

namespace TradingAspire.OrderStore;

/// <summary>
/// Where an order's state lives in Redis; the one place these key names are built. Every key carries the
/// hash tag of its client's partition (<see cref="StreamPartitions.TagOf"/>), the tag of the partition's
/// streams too, so that one script may touch the order, its fence, its Idempotency-Key and its stream on a
/// Redis Cluster.
/// </summary>
public static class OrderKeys
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);
    public static readonly TimeSpan IdempotencyWindow = TimeSpan.FromDays(1);

    /// <summary>
    /// How long a fence lives: longer than any command could sit in a client's queue or socket, so
    /// an accept that arrives after its fence is always refused.
    /// </summary>
    public static readonly TimeSpan FenceLifetime = TimeSpan.FromDays(1);

    /// <summary>The order's hash: order, status, traceId, outcome.</summary>
    public static string Order(string partitionTag, string orderId) => string.Concat("order:", partitionTag, ":", orderId);

    /// <summary>Where a version before partitions kept the order (read on a miss until its retention ends).</summary>
    public static string BeforePartitions(string orderId) => "order:" + orderId;

    /// <summary>Set when the gateway gave up on an accept whose outcome it did not know: that accept may never happen.</summary>
    public static string Fence(string partitionTag, string orderId) => string.Concat(FencePrefix, partitionTag, ":", orderId);

    public const string FencePrefix = "order-fence:";

    /// <summary>
    /// A client's Idempotency-Key → the order it created. The client id is length-prefixed, so no two
    /// (client, key) pairs share a Redis key whatever characters either holds.
    /// </summary>
    public static string Idempotency(string partitionTag, string clientId, string key) =>
        string.Create(CultureInfo.InvariantCulture, $"idempotency:{partitionTag}:{clientId.Length}:{clientId}:{key}");
}
