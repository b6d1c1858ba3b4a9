using TradingAspire.Contracts;

namespace TradingAspire.Messaging;

/// <summary>
/// The entries a handler forwards while it handles one delivery (<see cref="StreamMessage{T}.Forward{TOut}"/>).
/// Each is prepared at once (its <c>send &lt;stream&gt;</c> span starts, its trace context is captured) and added
/// by <see cref="EntryAcknowledgement"/> in the same step as the delivery's acknowledgement.
/// </summary>
internal sealed class DeliveryOutbox(IStreamPublisher publisher, string partitionTag) : IDisposable
{
    private readonly List<OutgoingEntry> entries = [];

    public IReadOnlyList<OutgoingEntry> Entries => entries;

    /// <summary>An entry read from a partition (<c>orders.new{p1}</c>) goes on to the same partition (<c>orders.approved{p1}</c>).</summary>
    public void Add<TOut>(string stream, TOut body) =>
        entries.Add(publisher.Prepare(partitionTag.Length > 0 && StreamPartitions.TagIn(stream).Length == 0 ? stream + partitionTag : stream, body));

    /// <summary>The handler failed: nothing it forwarded is sent (the delivery is retried or dead-lettered).</summary>
    public void Discard(string errorType, string why)
    {
        foreach (var entry in entries)
        {
            entry.NotSent(errorType, why);
        }
    }

    public void Dispose()
    {
        foreach (var entry in entries)
        {
            entry.Dispose();
        }
    }
}
