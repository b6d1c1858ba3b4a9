using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace TradingAspire.AppHost;

/// <summary>
/// Shows each stream's state on the dashboard every few seconds: its length, each consumer group's
/// lag and pending entries, and the declared groups Redis does not know (yet). While Redis cannot be
/// reached the streams show as Waiting.
/// </summary>
internal sealed class StreamMonitor(DistributedApplicationModel model, ResourceNotificationService notifications, RedisDeployment redis) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var streams = model.Resources.OfType<RedisStreamResource>().ToList();
        ConnectionMultiplexer? connection = null;
        try
        {
            using var timer = new PeriodicTimer(Interval);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    connection ??= await ConnectAsync(stoppingToken);
                    if (connection is null)
                    {
                        continue;
                    }

                    foreach (var stream in streams)
                    {
                        await PublishAsync(stream, connection.GetDatabase());
                    }
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    foreach (var stream in streams)
                    {
                        await notifications.PublishUpdateAsync(stream, s => s with { State = KnownResourceStates.Waiting });
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private async Task<ConnectionMultiplexer?> ConnectAsync(CancellationToken cancellationToken)
    {
        var connectionString = await redis.Connection.Resource.GetConnectionStringAsync(cancellationToken);
        if (string.IsNullOrEmpty(connectionString))
        {
            return null;
        }

        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ClientName = "apphost-stream-monitor";
        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    private async Task PublishAsync(RedisStreamResource stream, IDatabase db)
    {
        var properties = StreamTopology.Describe(stream).ToBuilder();
        long length = 0;
        var lag = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var pending = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var key in stream.RedisKeys)
        {
            // All partitions together; a group is missing if any partition lacks it.
            var known = new HashSet<string>();
            if (await db.KeyExistsAsync(key))
            {
                length += await db.StreamLengthAsync(key);
                foreach (var group in await db.StreamGroupInfoAsync(key))
                {
                    known.Add(group.Name);
                    lag[group.Name] = lag.GetValueOrDefault(group.Name) + (group.Lag ?? 0);
                    pending[group.Name] = pending.GetValueOrDefault(group.Name) + group.PendingMessageCount;
                }
            }

            missing.AddRange(stream.ConsumerGroups.Where(g => !known.Contains(g) && !missing.Contains(g)));
        }

        properties.Add(new("stream.length", length));
        foreach (var (group, value) in lag)
        {
            properties.Add(new($"group.{group}.lag", value));
            properties.Add(new($"group.{group}.pending", pending[group]));
        }

        properties.Add(new("stream.groups_missing", missing.Count == 0 ? "none" : string.Join(", ", missing)));
        await notifications.PublishUpdateAsync(stream, s => s with
        {
            State = KnownResourceStates.Running,
            Properties = properties.ToImmutable(),
        });
    }
}

internal static class StreamMonitorRegistration
{
    /// <summary>Keeps the stream resources' state current on the dashboard.</summary>
    public static IDistributedApplicationBuilder AddStreamMonitor(this IDistributedApplicationBuilder builder, RedisDeployment redis)
    {
        builder.Services.AddHostedService(sp => new StreamMonitor(
            sp.GetRequiredService<DistributedApplicationModel>(), sp.GetRequiredService<ResourceNotificationService>(), redis));
        return builder;
    }
}
