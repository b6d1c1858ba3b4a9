namespace TradingAspire.Load;

/// <summary>An order the gateway accepted (202) and whose outcome is awaited.</summary>
public sealed record PendingOrder(string OrderId, string ClientId, long IntendedTimestamp, bool Measured);

/// <summary>
/// Pairs each accepted order with its outcome. The outcome may arrive on the notification stream before the
/// 202 is read (the pipeline can be faster than the client), so either side may come first; one lock keeps the
/// pairing exact (a few thousand operations a second do not contend).
/// </summary>
public sealed class OrderLedger(Action<PendingOrder, string, long> completed)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, PendingOrder> pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Status, long Timestamp)> early = new(StringComparer.Ordinal);

    public int Pending
    {
        get
        {
            lock (gate)
            {
                return pending.Count;
            }
        }
    }

    public void Accepted(PendingOrder order)
    {
        (string Status, long Timestamp) outcome;
        lock (gate)
        {
            if (!early.Remove(order.OrderId, out outcome))
            {
                pending[order.OrderId] = order;
                return;
            }
        }

        completed(order, outcome.Status, outcome.Timestamp);
    }

    /// <summary>An outcome as the notification stream delivered it, at <paramref name="timestamp"/> (Stopwatch ticks).</summary>
    public void Outcome(string orderId, string status, long timestamp)
    {
        PendingOrder? order;
        lock (gate)
        {
            if (!pending.Remove(orderId, out order))
            {
                early[orderId] = (status, timestamp);
                return;
            }
        }

        completed(order, status, timestamp);
    }

    /// <summary>Settles an order found final by asking the gateway (its notification was not seen); false if it was settled meanwhile.</summary>
    public bool SettleWithoutNotification(string orderId)
    {
        lock (gate)
        {
            return pending.Remove(orderId);
        }
    }

    public IReadOnlyList<PendingOrder> Outstanding()
    {
        lock (gate)
        {
            return pending.Values.ToArray();
        }
    }
}
