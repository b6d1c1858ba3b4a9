using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace TradingAspire.Messaging;

/// <summary>
/// Moves an entry to <c>&lt;stream&gt;.dead</c> with its original fields, the error, the delivery
/// count and its trace id, and acknowledges the original — both in one MULTI/EXEC, so an entry is
/// never both lost and acknowledged.
/// </summary>
internal static class DeadLetterWriter
{
    public static async Task<string> MoveAsync(
        IDatabase db, string stream, string group, string consumer, RawStreamEntry entry,
        string errorType, string error, int deliveryCount, ActivityTraceId traceId)
    {
        var fields = new List<NameValueEntry>(entry.Fields.Count + 9);
        fields.AddRange(entry.Fields.Select(f => new NameValueEntry(f.Key, f.Value)));
        fields.Add(new(StreamFields.DeadSourceStream, stream));
        fields.Add(new(StreamFields.DeadSourceId, entry.Id));
        fields.Add(new(StreamFields.DeadGroup, group));
        fields.Add(new(StreamFields.DeadConsumer, consumer));
        fields.Add(new(StreamFields.DeadErrorType, errorType));
        fields.Add(new(StreamFields.DeadError, error));
        fields.Add(new(StreamFields.DeadDeliveryCount, deliveryCount.ToString(CultureInfo.InvariantCulture)));
        fields.Add(new(StreamFields.DeadTraceId, traceId.ToHexString()));
        fields.Add(new(StreamFields.DeadAt, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)));

        var transaction = db.CreateTransaction();
        var added = transaction.StreamAddAsync(StreamFields.DeadLetterStream(stream), fields.ToArray());
        _ = transaction.StreamAcknowledgeAsync(stream, group, entry.Id);
        if (!await transaction.ExecuteAsync())
        {
            throw new RedisException($"Moving {stream}/{entry.Id} to the dead-letter stream did not commit.");
        }

        return (await added).ToString();
    }
}
