using StackExchange.Redis;

namespace TradingAspire.Messaging;

/// <summary>
/// Reads the group's new entries with a blocking <c>XREADGROUP</c> (<see cref="BlockingStreamReader"/>) as
/// fast as free slots allow, and starts each one; when Redis is away it backs off, and when the group
/// was deleted it recreates it. Also finishes, at start, what this consumer name had read before a restart.
/// </summary>
internal sealed class DeliveryLoop(
    BlockingStreamReader reader,
    InFlightDeliveries deliveries,
    ConsumerGroup group,
    ConsumerIdentity identity,
    MessagingOptions options,
    IConnectionMultiplexer redis,
    ConsumerLog log)
{
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var slots = await deliveries.ReserveAsync(stoppingToken);
                IReadOnlyList<RawStreamEntry> entries;
                try
                {
                    entries = await reader.ReadNewAsync(slots, options.BlockTime).WaitAsync(stoppingToken);
                }
                catch
                {
                    deliveries.Release(slots);
                    throw;
                }

                failures = 0;
                deliveries.Release(slots - entries.Count);
                foreach (var entry in entries)
                {
                    deliveries.Start(entry, deliveryCount: 1);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (RedisServerException ex) when (ex.Message.Contains("NOGROUP", StringComparison.Ordinal))
            {
                log.GroupMissing(identity.Stream, identity.Group);
                await group.EnsureExistsAsync(stoppingToken);
            }
            // Redis away, or the reader's connection torn down under it (its command cancelled): back off, read again.
            catch (Exception ex) when (ex is RedisException or TimeoutException or InvalidOperationException or OperationCanceledException)
            {
                failures++;
                if (failures == 1 || failures % 20 == 0)
                {
                    log.ReadFailed(ex, identity.Stream, failures);
                }

                await Pause.Quietly(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * Math.Pow(2, Math.Min(failures, 6)))), stoppingToken);
            }
        }
    }

    /// <summary>After a restart under the same consumer name, finish what was delivered but never acknowledged.</summary>
    public async Task RecoverOwnPendingAsync(CancellationToken stoppingToken)
    {
        var after = "0";
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<RawStreamEntry> pending;
            try
            {
                pending = await reader.ReadOwnPendingAsync(after, options.MaxConcurrency);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                log.ReadFailed(ex, identity.Stream, 1);
                return; // the housekeeper's reclaim picks them up later
            }

            if (pending.Count == 0)
            {
                return;
            }

            foreach (var entry in pending)
            {
                after = entry.Id;
                await deliveries.ReserveOneAsync(stoppingToken);
                var info = await redis.GetDatabase().StreamPendingMessagesAsync(identity.Stream, identity.Group, 1, identity.Consumer, entry.Id, entry.Id);
                deliveries.Start(entry, info.Length > 0 ? info[0].DeliveryCount : 1);
            }
        }
    }
}
