using Microsoft.Extensions.Logging;

namespace TradingAspire.Messaging;

/// <summary>What a stream consumer logs (one logger per consumed stream and handler).</summary>
internal sealed partial class ConsumerLog(ILogger logger)
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Consuming {Stream} as {Group}/{Consumer}")]
    public partial void Started(string stream, string group, string consumer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading {Stream} failed ({Failures} in a row); retrying")]
    public partial void ReadFailed(Exception ex, string stream, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consumer group {Group} on {Stream} is missing; recreating it")]
    public partial void GroupMissing(string stream, string group);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryCount} of {Stream}/{EntryId} failed; it will be delivered again")]
    public partial void DeliveryFailed(Exception ex, string stream, string entryId, int deliveryCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Stream}/{EntryId} left pending for reclaim")]
    public partial void LeftPending(Exception ex, string stream, string entryId);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Stream}/{EntryId} moved to the dead-letter stream ({ErrorType}): {Error} trace {TraceId}")]
    public partial void DeadLettered(string stream, string entryId, string errorType, string error, string traceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reclaimed {Stream}/{EntryId} from an idle consumer (delivery {DeliveryCount})")]
    public partial void Reclaimed(string stream, string entryId, int deliveryCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} consumers of dead processes from {Stream}/{Group}")]
    public partial void ConsumersRemoved(string stream, string group, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Housekeeping of {Stream} failed")]
    public partial void HousekeepingFailed(Exception ex, string stream);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: waiting for {Count} in-flight entries of {Stream}")]
    public partial void Draining(string stream, int count);
}
