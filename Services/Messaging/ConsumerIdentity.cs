using TradingAspire.Contracts;

namespace TradingAspire.Messaging;

/// <summary>
/// Who consumes: the stream (one partition's Redis stream, e.g. <c>orders.new{p1}</c>), the consumer group
/// (one per service) and this process's consumer name in it.
/// </summary>
internal sealed record ConsumerIdentity(string Stream, string Group, string Consumer)
{
    /// <summary>
    /// The partition tag what a handler forwards goes to: the partition it read from (<c>orders.new{p1}</c> →
    /// <c>orders.approved{p1}</c>); none for a stream that is not partitioned; <c>{p0}</c>'s for a pre-partition stream being drained.
    /// </summary>
    public string ForwardTag { get; init; } = StreamPartitions.TagIn(Stream);

    /// <summary>The stream's name without its partition tag, for span names: <c>orders.new</c>.</summary>
    public string Logical { get; } = StreamPartitions.Logical(Stream);

    public string ProcessSpanName { get; } = "process " + StreamPartitions.Logical(Stream);

    /// <summary>The message's stage timing for its wait in the stream, whichever partition: <c>queue.orders.new</c>.</summary>
    public string QueueStage { get; } = "queue." + StreamPartitions.Logical(Stream);

    public KeyValuePair<string, object?> StreamTag => MessagingTelemetry.Destination(Stream);
    public KeyValuePair<string, object?> GroupTag => MessagingTelemetry.Group(Group);
}
