namespace TradingAspire.Messaging;

/// <summary>One entry on its way through a consumer, across the attempts to process it.</summary>
internal sealed class Delivery(RawStreamEntry entry, int deliveryCount)
{
    public RawStreamEntry Entry { get; set; } = entry;

    /// <summary>How many times Redis has delivered it (XCLAIM/XAUTOCLAIM raise it).</summary>
    public int DeliveryCount { get; set; } = deliveryCount;

    public string? LastError { get; set; }

    /// <summary>Someone else acknowledged or took it meanwhile: nothing left to do here.</summary>
    public bool Abandoned { get; set; }

    /// <summary>Since when the handler has been failing transiently (waiting for something away); null otherwise.</summary>
    public DateTimeOffset? TransientSince { get; set; }
}
