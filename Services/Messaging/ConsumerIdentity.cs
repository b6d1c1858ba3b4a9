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

    /// <summary>The stream's span names and partition attributes (<c>process orders.new</c>, <c>queue.orders.new</c>, <c>p1</c>).</summary>
    public StreamNames Names { get; } = StreamNames.Of(Stream);

    public KeyValuePair<string, object?> StreamTag => MessagingTelemetry.Destination(Stream);
    public KeyValuePair<string, object?> GroupTag => MessagingTelemetry.Group(Group);
}
