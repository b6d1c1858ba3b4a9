namespace TradingAspire.Execution;

/// <summary>The latency pricing policies (<see cref="RoutingOptions.Policy"/>) and which one an order gets.</summary>
public static class RoutingPolicies
{
    public const string Static = "static";
    public const string Trace = "trace";
    public const string AB = "ab";

    public static bool IsKnown(string? policy) => policy is Static or Trace or AB;

    /// <summary>
    /// The policy that prices this order: the configured one, or under <c>ab</c> <c>static</c> or <c>trace</c> by the parity of a
    /// stable hash (FNV-1a) of the order id, so each arm gets half the orders of the same period and a redelivery keeps its arm.
    /// </summary>
    public static string For(string configured, string orderId)
    {
        if (configured != AB)
        {
            return configured == Trace ? Trace : Static;
        }

        var hash = 2166136261u;
        foreach (var c in orderId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (hash & 1) == 0 ? Static : Trace;
    }
}
