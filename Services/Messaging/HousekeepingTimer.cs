using StackExchange.Redis;

namespace TradingAspire.Messaging;

/// <summary>
/// Runs a consumer's <see cref="StreamHousekeeper"/> chores on their own timer
/// (<see cref="MessagingOptions.HousekeepingInterval"/>): renew the leases of entries in flight, take
/// over entries a dead consumer left pending (and start them), refresh the lag gauges, forget dead
/// consumers, and once a minute trim what every group has acknowledged.
/// </summary>
internal sealed class HousekeepingTimer(StreamHousekeeper housekeeper, InFlightDeliveries deliveries, ConsumerIdentity identity, MessagingOptions options, ConsumerLog log)
{
    private static readonly TimeSpan TrimInterval = TimeSpan.FromMinutes(1);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.HousekeepingInterval);
        var nextTrim = DateTimeOffset.MinValue;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await housekeeper.RenewLeasesAsync(identity.Consumer, deliveries.Ids);
                    foreach (var (entry, deliveryCount) in await housekeeper.ClaimIdleAsync(identity.Consumer, deliveries.Contains))
                    {
                        await deliveries.ReserveOneAsync(stoppingToken);
                        MessagingTelemetry.Reclaimed.Add(1, identity.StreamTag, identity.GroupTag);
                        log.Reclaimed(identity.Stream, entry.Id, deliveryCount);
                        deliveries.Start(entry, deliveryCount);
                    }

                    await housekeeper.RefreshLagAsync();
                    if (await housekeeper.RemoveDeadConsumersAsync(identity.Consumer) is > 0 and var removed)
                    {
                        log.ConsumersRemoved(identity.Stream, identity.Group, removed);
                    }

                    if (DateTimeOffset.UtcNow >= nextTrim)
                    {
                        nextTrim = DateTimeOffset.UtcNow + TrimInterval;
                        await housekeeper.TrimAcknowledgedAsync();
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // Redis away, a command cancelled with its dead socket, anything: the next tick tries again.
                    // The housekeeper must outlive every failure, or nothing is ever reclaimed again.
                    log.HousekeepingFailed(ex, identity.Stream);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
