using StackExchange.Redis;

namespace TradingAspire.Messaging;

/// <summary>One entry of a dead-letter stream, as the admin API shows it.</summary>
public sealed record DeadLetterView(
    string Id,
    string SourceStream,
    string SourceId,
    string Group,
    string ErrorType,
    string Error,
    int DeliveryCount,
    string TraceId,
    string DeadAt,
    string? Payload);

/// <summary>
/// Lists dead-letter streams and puts a dead entry back on its source stream after a fix. The
/// replayed entry keeps its original fields — traceparent and baggage included — so it continues
/// the order's original trace; the dead entry is removed in the same MULTI.
/// </summary>
public sealed class DeadLetterAdmin(IConnectionMultiplexer redis)
{
    public async Task<IReadOnlyList<(string Stream, long Length)>> StreamsAsync(IEnumerable<string> sourceStreams)
    {
        var db = redis.GetDatabase();
        var result = new List<(string, long)>();
        foreach (var source in sourceStreams)
        {
            var dead = StreamFields.DeadLetterStream(source);
            result.Add((dead, await db.StreamLengthAsync(dead)));
        }

        return result;
    }

    public async Task<IReadOnlyList<DeadLetterView>> ListAsync(string deadStream, int count)
    {
        var entries = await redis.GetDatabase().StreamRangeAsync(deadStream, "-", "+", Math.Clamp(count, 1, 1000));
        return entries.Select(e => View(RawStreamEntry.From(e))).ToList();
    }

    /// <summary>Re-adds the entry to its source stream; null when there is no such dead entry.</summary>
    public async Task<(string NewId, DeadLetterView Replayed)?> ReplayAsync(string deadStream, string id)
    {
        var db = redis.GetDatabase();
        var found = await db.StreamRangeAsync(deadStream, id, id, 1);
        if (found.Length == 0)
        {
            return null;
        }

        var entry = RawStreamEntry.From(found[0]);
        var view = View(entry);
        var original = entry.Fields
            .Where(f => !f.Key.StartsWith("dead.", StringComparison.Ordinal))
            .Select(f => new NameValueEntry(f.Key, f.Value))
            .ToArray();

        // Atomic and once only: the entry is re-added only if it is still in the dead-letter stream.
        var args = new List<RedisValue> { id };
        args.AddRange(original.SelectMany(f => new[] { f.Name, f.Value }));
        var result = await db.ScriptEvaluateAsync(ReplayScript, [deadStream, view.SourceStream], args.ToArray());
        if (result.IsNull)
        {
            return null;
        }

        return (result.ToString(), view);
    }

    // KEYS[1] dead stream, KEYS[2] source stream; ARGV[1] dead id, ARGV[2..] field/value pairs.
    private const string ReplayScript = """
        if #redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1]) == 0 then return false end
        local fields = {}
        for i = 2, #ARGV do fields[#fields + 1] = ARGV[i] end
        local id = redis.call('XADD', KEYS[2], '*', unpack(fields))
        redis.call('XDEL', KEYS[1], ARGV[1])
        return id
        """;

    private static DeadLetterView View(RawStreamEntry entry)
    {
        string F(string key) => entry.Fields.TryGetValue(key, out var v) ? v : "";
        return new DeadLetterView(
            entry.Id, F(StreamFields.DeadSourceStream), F(StreamFields.DeadSourceId), F(StreamFields.DeadGroup),
            F(StreamFields.DeadErrorType), F(StreamFields.DeadError),
            int.TryParse(F(StreamFields.DeadDeliveryCount), out var n) ? n : 0,
            F(StreamFields.DeadTraceId), F(StreamFields.DeadAt),
            entry.Fields.TryGetValue(StreamFields.Payload, out var payload) ? payload : null);
    }
}
