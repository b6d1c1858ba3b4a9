using System.Collections.Concurrent;
using System.Diagnostics;
using TradingAspire.Contracts;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Messaging;

/// <summary>
/// What telemetry calls a Redis stream, worked out once per stream rather than per entry: the span names keep the
/// stream's name without its partition (<c>send orders.new</c>, <c>process orders.new</c>, the stage timing
/// <c>queue.orders.new</c>), and a partitioned stream's spans say which one (<c>messaging.destination.template</c>
/// <c>orders.new</c>, <c>messaging.destination.partition.id</c> <c>p1</c>).
/// </summary>
internal sealed class StreamNames
{
    private static readonly ConcurrentDictionary<string, StreamNames> Known = new(StringComparer.Ordinal);

    private StreamNames(string stream)
    {
        var logical = StreamPartitions.Logical(stream);
        var tag = StreamPartitions.TagIn(stream);
        SendSpanName = "send " + logical;
        ProcessSpanName = "process " + logical;
        QueueStage = "queue." + logical;
        Template = tag.Length > 0 ? logical : null;
        PartitionId = tag.Length > 0 ? tag[1..^1] : null;
    }

    public string SendSpanName { get; }

    public string ProcessSpanName { get; }

    public string QueueStage { get; }

    /// <summary>The stream's name without its partition, for a partitioned stream; else null.</summary>
    public string? Template { get; }

    public string? PartitionId { get; }

    public static StreamNames Of(string stream) => Known.GetOrAdd(stream, static s => new StreamNames(s));

    public void AddTo(ref TagList tags)
    {
        if (PartitionId is not null)
        {
            tags.Add(SemanticAttributes.MessagingDestinationTemplate, Template);
            tags.Add(SemanticAttributes.MessagingDestinationPartitionId, PartitionId);
        }
    }

    public void SetOn(Activity? activity)
    {
        if (activity is not null && PartitionId is not null)
        {
            activity.SetTag(SemanticAttributes.MessagingDestinationTemplate, Template);
            activity.SetTag(SemanticAttributes.MessagingDestinationPartitionId, PartitionId);
        }
    }
}
