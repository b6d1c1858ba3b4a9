using System.Diagnostics;
using System.Diagnostics.Metrics;
using TradingAspire.ServiceDefaults;

namespace TradingAspire.Messaging;

/// <summary>The messaging library's ActivitySource and Meter (<c>TradingAspire.Messaging</c>).</summary>
public static class MessagingTelemetry
{
    public const string Name = "TradingAspire.Messaging";
    public const string System = "redis";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    /// <summary>Semantic-convention counter of messages published.</summary>
    public static readonly Counter<long> SentMessages =
        Meter.CreateCounter<long>("messaging.client.sent.messages", "{message}", "Entries added to a stream.");

    /// <summary>Semantic-convention counter of messages delivered to a handler.</summary>
    public static readonly Counter<long> ConsumedMessages =
        Meter.CreateCounter<long>("messaging.client.consumed.messages", "{message}", "Entries delivered to a consumer.");

    /// <summary>Semantic-convention histogram of handler duration.</summary>
    public static readonly Histogram<double> ProcessDuration =
        Meter.CreateSecondsHistogram("messaging.process.duration", "Time a consumer spent processing one entry.");

    public static readonly Histogram<double> QueueTime =
        Meter.CreateSecondsHistogram("trading.stream.queue_time", "Time an entry waited in its stream before processing began (from its id).");

    public static readonly Counter<long> DeadLettered =
        Meter.CreateCounter<long>("trading.stream.dead_lettered", "{message}", "Entries moved to <stream>.dead.");

    public static readonly Counter<long> Reclaimed =
        Meter.CreateCounter<long>("trading.stream.reclaimed", "{message}", "Pending entries taken over from an idle or dead consumer.");

    public static readonly Counter<long> Redelivered =
        Meter.CreateCounter<long>("trading.stream.redelivered", "{message}", "Entries retried after a failed delivery.");

    public static readonly Counter<long> Trimmed =
        Meter.CreateCounter<long>("trading.stream.trimmed", "{message}", "Entries trimmed after every group acknowledged them.");

    public static KeyValuePair<string, object?> Destination(string stream) => new(SemanticAttributes.MessagingDestinationName, stream);

    public static KeyValuePair<string, object?> Group(string group) => new(SemanticAttributes.MessagingConsumerGroupName, group);
    public static readonly KeyValuePair<string, object?> SystemTag = new(SemanticAttributes.MessagingSystem, System);
}
