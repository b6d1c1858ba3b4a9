using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using StackExchange.Redis;

namespace TradingAspire.Messaging;

/// <summary>
/// Periodic chores of one consumer: take over entries a dead consumer left pending, keep the
/// lag/pending gauges current, and trim what every group has acknowledged (never more).
/// </summary>
internal sealed class StreamHousekeeper(IConnectionMultiplexer redis, string stream, string group, MessagingOptions options)
{
    private static readonly ConcurrentDictionary<(string Stream, string Group), (long Lag, long Pending)> Gauges = new();

    static StreamHousekeeper()
    {
        MessagingTelemetry.Meter.CreateObservableGauge(
            "trading.stream.lag",
            () => Gauges.Select(g => new Measurement<long>(g.Value.Lag, MessagingTelemetry.Destination(g.Key.Stream), MessagingTelemetry.Group(g.Key.Group))),
            "{message}",
            "Entries in the stream not yet delivered to the consumer group.");
        MessagingTelemetry.Meter.CreateObservableGauge(
            "trading.stream.pending",
            () => Gauges.Select(g => new Measurement<long>(g.Value.Pending, MessagingTelemetry.Destination(g.Key.Stream), MessagingTelemetry.Group(g.Key.Group))),
            "{message}",
            "Entries delivered to the consumer group and not yet acknowledged.");
    }

    /// <summary>
    /// Keeps entries this consumer is still working on from looking abandoned: <c>XCLAIM … JUSTID</c>
    /// to itself resets their idle time (without counting a delivery) once they are half-way to
    /// <see cref="MessagingOptions.ClaimIdleTime"/>, so no consumer (this one included) takes over
    /// an entry whose handler is merely slow.
    /// </summary>
    public async Task RenewLeasesAsync(string consumer, IReadOnlyCollection<string> inFlight)
    {
        if (inFlight.Count == 0)
        {
            return;
        }

        var halfway = (long)(options.ClaimIdleTime.TotalMilliseconds / 2);
        await redis.GetDatabase().StreamClaimIdsOnlyAsync(stream, group, consumer, halfway, inFlight.Select(id => (RedisValue)id).ToArray());
    }

    /// <summary>XAUTOCLAIMs entries idle longer than ClaimIdleTime and returns them with their delivery counts.</summary>
    public async Task<IReadOnlyList<(RawStreamEntry Entry, int DeliveryCount)>> ClaimIdleAsync(string consumer, Func<string, bool> isInFlight)
    {
        var db = redis.GetDatabase();
        var claimed = new List<(RawStreamEntry, int)>();
        RedisValue cursor = "0-0";
        var idleMs = (long)options.ClaimIdleTime.TotalMilliseconds;
        for (var round = 0; round < 10; round++)
        {
            var result = await db.StreamAutoClaimAsync(stream, group, consumer, idleMs, cursor, options.MaxConcurrency);
            foreach (var entry in result.ClaimedEntries)
            {
                if (entry.IsNull)
                {
                    continue;
                }

                var id = entry.Id.ToString();
                if (isInFlight(id))
                {
                    continue;
                }

                var info = await db.StreamPendingMessagesAsync(stream, group, 1, consumer, id, id);
                claimed.Add((RawStreamEntry.From(entry), info.Length > 0 ? info[0].DeliveryCount : 2));
            }

            cursor = result.NextStartId;
            if (cursor == "0-0" || claimed.Count >= options.MaxConcurrency)
            {
                break;
            }
        }

        return claimed;
    }

    /// <summary>
    /// Forgets consumers left by processes that are gone: a consumer other than this one that holds no
    /// pending entry (whatever it held was reclaimed) and has not read for <see cref="MessagingOptions.ConsumerExpiry"/>
    /// is deleted from the group. A live consumer reads every BlockTime, so it is never that idle; were
    /// one deleted anyway, its next read would simply recreate it.
    /// </summary>
    public async Task<int> RemoveDeadConsumersAsync(string self)
    {
        var db = redis.GetDatabase();
        var expiry = (long)options.ConsumerExpiry.TotalMilliseconds;
        var removed = 0;
        foreach (var consumer in await db.StreamConsumerInfoAsync(stream, group))
        {
            if (consumer.Name != self && consumer.PendingMessageCount == 0 && consumer.IdleTimeInMilliseconds > expiry)
            {
                // DELCONSUMER would drop pending entries with it; there are none (checked just above, and
                // only a read by that very consumer could add one).
                await db.StreamDeleteConsumerAsync(stream, group, consumer.Name);
                removed++;
            }
        }

        return removed;
    }

    public async Task RefreshLagAsync()
    {
        var db = redis.GetDatabase();
        foreach (var info in await db.StreamGroupInfoAsync(stream))
        {
            if (info.Name == group)
            {
                Gauges[(stream, group)] = (info.Lag ?? 0, info.PendingMessageCount);
            }
        }
    }

    /// <summary>
    /// XTRIM MINID to the oldest entry some group still needs (its lowest pending id, or the
    /// first it has not been delivered), and never past the retention window.
    /// </summary>
    public async Task<long> TrimAcknowledgedAsync()
    {
        if (options.Retention <= TimeSpan.Zero)
        {
            return 0;
        }

        var db = redis.GetDatabase();
        var groups = await db.StreamGroupInfoAsync(stream);
        if (groups.Length == 0)
        {
            return 0;
        }

        var minId = StreamEntryId.FromTimestamp(DateTimeOffset.UtcNow - options.Retention);
        foreach (var g in groups)
        {
            string needed;
            if (g.PendingMessageCount > 0)
            {
                var summary = await db.StreamPendingAsync(stream, g.Name);
                needed = summary.LowestPendingMessageId.ToString();
            }
            else
            {
                needed = g.LastDeliveredId ?? "0-0";
            }

            if (StreamEntryId.Compare(needed, minId) < 0)
            {
                minId = needed;
            }
        }

        var trimmed = (long)await db.ExecuteAsync("XTRIM", stream, "MINID", "~", minId);
        if (trimmed > 0)
        {
            MessagingTelemetry.Trimmed.Add(trimmed, MessagingTelemetry.Destination(stream));
        }

        return trimmed;
    }
}
