using TradingAspire.Contracts;

namespace TradingAspire.Messaging;

/// <summary>Field names of a stream entry.</summary>
public static class StreamFields
{
    public const string Payload = "payload";
    public const string Type = "type";
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";
    public const string Baggage = "baggage";

    // Added to an entry when it is moved to <stream>.dead.
    public const string DeadSourceStream = "dead.source_stream";
    public const string DeadSourceId = "dead.source_id";
    public const string DeadGroup = "dead.group";
    public const string DeadConsumer = "dead.consumer";
    public const string DeadErrorType = "dead.error_type";
    public const string DeadError = "dead.error";
    public const string DeadDeliveryCount = "dead.delivery_count";
    public const string DeadTraceId = "dead.trace_id";
    public const string DeadAt = "dead.at";

    /// <summary>
    /// Where <paramref name="stream"/>'s dead letters go, in the stream's own hash slot (so the move is one
    /// transaction on a Redis Cluster too): <c>orders.new{p0}</c> → <c>orders.new{p0}.dead</c>, and a stream
    /// without a hash tag, <c>alerts</c> → <c>{alerts}.dead</c> (tag <c>alerts</c>, the slot of the key <c>alerts</c>).
    /// </summary>
    public static string DeadLetterStream(string stream) => StreamPartitions.DeadLetterStream(stream);
}
