using System.Globalization;

namespace TradingAspire.OrderStore;

/// <summary>Where an order's state lives in Redis; the one place these key names are built.</summary>
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
    public static string Order(string orderId) => $"order:{orderId}";

    /// <summary>Set when the gateway gave up on an accept whose outcome it did not know: that accept may never happen.</summary>
    public static string Fence(string orderId) => $"order-fence:{orderId}";

    /// <summary>
    /// A client's Idempotency-Key → the order it created. The client id is length-prefixed, so no two
    /// (client, key) pairs share a Redis key whatever characters either holds.
    /// </summary>
    public static string Idempotency(string clientId, string key) =>
        string.Create(CultureInfo.InvariantCulture, $"idempotency:{clientId.Length}:{clientId}:{key}");
}
