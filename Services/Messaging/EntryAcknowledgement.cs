using System.Diagnostics;
using StackExchange.Redis;

namespace TradingAspire.Messaging;

/// <summary>
/// Acknowledges a handled entry and adds what its handler forwarded, in one round trip: a plain <c>XACK</c> when
/// nothing was forwarded, else one Lua script that adds every forwarded entry and then acknowledges — both happen
/// or neither, and with <c>appendfsync always</c> they share one fsync. The script first checks that the entry is
/// still pending in the group: a retry after a lost reply finds it acknowledged and adds nothing twice.
/// While Redis is away the step is retried (the work is not done again); if it still cannot be sent, the entry
/// stays pending and its redelivery finds the work done (handlers are idempotent).
/// </summary>
internal sealed class EntryAcknowledgement(ConsumerIdentity identity, MessagingOptions options, IConnectionMultiplexer redis)
{
    // KEYS: the forwarded entries' streams, then the consumed stream. ARGV: group, entry id, then per forwarded
    // entry its field count and its fields. Returns the new entry ids, or an empty array if the entry was
    // acknowledged before (a lost reply, or another consumer finished it).
    private const string ForwardAndAckScript = """
        local source = KEYS[#KEYS]
        local pending = redis.call('XPENDING', source, ARGV[1], ARGV[2], ARGV[2], 1)
        if #pending == 0 then
          return {}
        end
        local ids = {}
        local a = 3
        for i = 1, #KEYS - 1 do
          local count = tonumber(ARGV[a])
          ids[i] = redis.call('XADD', KEYS[i], '*', unpack(ARGV, a + 1, a + count))
          a = a + count + 1
        end
        redis.call('XACK', source, ARGV[1], ARGV[2])
        return ids
        """;

    public async Task AcknowledgeAsync(string entryId, DeliveryOutbox outbox, Activity? activity, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (outbox.Entries.Count == 0)
                {
                    await redis.GetDatabase().StreamAcknowledgeAsync(identity.Stream, identity.Group, entryId);
                }
                else
                {
                    await ForwardAndAckAsync(entryId, outbox);
                }

                return;
            }
            catch (Exception ex) when (RedisFaults.IsUnavailable(ex) && Stopwatch.GetElapsedTime(started) < options.TransientRetryBudget &&
                                       !cancellationToken.IsCancellationRequested)
            {
                activity?.AddEvent(new ActivityEvent("ack.retry", tags: new ActivityTagsCollection { ["error.type"] = ex.GetType().Name, ["attempt"] = attempt }));
                await Pause.Quietly(TimeSpan.FromMilliseconds(Math.Min(2000, 50 * Math.Pow(2, Math.Min(attempt, 6)))), cancellationToken);
            }
            catch (Exception ex)
            {
                foreach (var entry in outbox.Entries)
                {
                    entry.Failed(ex);
                }

                throw;
            }
        }
    }

    private async Task ForwardAndAckAsync(string entryId, DeliveryOutbox outbox)
    {
        var entries = outbox.Entries;
        var keys = new RedisKey[entries.Count + 1];
        var args = new List<RedisValue>(2 + entries.Sum(e => 1 + (2 * e.Fields.Count))) { identity.Group, entryId };
        for (var i = 0; i < entries.Count; i++)
        {
            keys[i] = entries[i].Stream;
            args.Add(entries[i].Fields.Count * 2);
            args.AddRange(entries[i].FieldArguments());
        }

        keys[^1] = identity.Stream;
        var ids = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(ForwardAndAckScript, keys, [.. args]))!;
        for (var i = 0; i < entries.Count; i++)
        {
            if (i < ids.Length)
            {
                entries[i].Sent(ids[i].ToString());
            }
            else
            {
                entries[i].NotSent("already_acknowledged", $"{identity.Stream}/{entryId} was acknowledged before; its forwarded entries were added then.");
            }
        }
    }
}
