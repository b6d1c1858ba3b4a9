using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace TradingAspire.Messaging;

/// <summary>
/// A stream of the layout before partitions (<c>orders.new</c>, now <c>orders.new{p0}</c>, …) still holding work for
/// this consumer's group after an upgrade: entries never delivered, or delivered and not acknowledged (by this version
/// or a process of the old one; the housekeeper reclaims those). The consumer reads it until the group has nothing
/// left, then stops; it never creates the stream or the group.
/// </summary>
internal sealed partial class LegacyDrain(IConnectionMultiplexer redis, ConsumerIdentity identity, MessagingOptions options, ILogger logger)
{
    public async Task<bool> HasWorkAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                var left = await WorkLeftAsync();
                if (left > 0)
                {
                    LogDraining(identity.Stream, identity.Group, left);
                }

                return left > 0;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                await Pause.Quietly(TimeSpan.FromMilliseconds(Math.Min(5000, 200 * attempt)), stoppingToken);
            }
        }

        return false;
    }

    /// <summary>Cancels <paramref name="running"/> once the group has neither undelivered nor pending entries.</summary>
    public async Task StopWhenDrainedAsync(CancellationTokenSource running, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.HousekeepingInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (await WorkLeftAsync() == 0)
                    {
                        LogDrained(identity.Stream, identity.Group);
                        await running.CancelAsync();
                        return;
                    }
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    // Redis away: ask again on the next tick.
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Entries the group has not finished: pending ones, plus 1 if some were never delivered (0 if the stream or group is gone).</summary>
    private async Task<long> WorkLeftAsync()
    {
        var db = redis.GetDatabase();
        if (!await db.KeyExistsAsync(identity.Stream))
        {
            return 0;
        }

        var info = await db.StreamInfoAsync(identity.Stream);
        var group = (await db.StreamGroupInfoAsync(identity.Stream)).FirstOrDefault(g => g.Name == identity.Group);
        if (group.Name is null)
        {
            return 0;
        }

        var undelivered = group.Lag ?? (group.LastDeliveredId == info.LastGeneratedId.ToString() ? 0 : 1);
        return group.PendingMessageCount + undelivered;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Stream} (the layout before partitions) still holds {Count} entries for {Group}: draining them")]
    private partial void LogDraining(string stream, string group, long count);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Stream} (the layout before partitions) is drained for {Group}")]
    private partial void LogDrained(string stream, string group);
}
