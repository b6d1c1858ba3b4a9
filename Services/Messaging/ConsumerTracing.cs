namespace TradingAspire.Messaging;

/// <summary>Whether a stream consumer traces each entry it processes.</summary>
public enum ConsumerTracing
{
    /// <summary>One <c>process &lt;stream&gt;</c> span per attempt, continuing the producer's trace (the default: orders).</summary>
    PerEntry,

    /// <summary>
    /// No span at all for the entries of this stream, nor for the Redis commands made while processing one
    /// (<c>SuppressInstrumentationScope</c>): for housekeeping streams whose entries are not worth a trace each
    /// (e.g. feed-health reports every few seconds). Metrics, logs and dead-lettering are unchanged.
    /// </summary>
    None,
}
