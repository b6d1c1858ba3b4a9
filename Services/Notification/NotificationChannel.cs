using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using StackExchange.Redis;
using TradingAspire.Contracts;

namespace TradingAspire.Notification;

/// <summary>
/// Outcomes reach every notification replica through Redis pub/sub (<c>notifications:&lt;clientId&gt;</c>),
/// so a client connected to any replica gets every push; the last 100 per client are kept
/// (<c>notifications:recent:{p}:&lt;clientId&gt;</c>). Both are written by <see cref="FinalOutcomeWriter"/>
/// in the same script as the order's final state; this class reads and subscribes.
/// </summary>
public sealed class NotificationChannel(IConnectionMultiplexer redis, StreamPartitions partitions)
{
    public const int RecentLimit = 100;
    public static readonly TimeSpan RecentRetention = TimeSpan.FromDays(1);

    /// <summary>The pub/sub channel every replica listens on for this client's outcomes (written by <see cref="FinalOutcomeWriter"/>).</summary>
    public static string ChannelName(string clientId) => $"notifications:{clientId}";

    /// <summary>The client's recent notifications, in the client's partition (the slot of its orders' keys).</summary>
    public static string RecentKey(string partitionTag, string clientId) => string.Concat("notifications:recent:", partitionTag, ":", clientId);

    private static RedisChannel Channel(string clientId) => RedisChannel.Literal(ChannelName(clientId));

    private static readonly RedisChannel AlertChannel = RedisChannel.Literal("alerts");
    private const string RecentAlertsKey = "alerts:recent";

    /// <summary>Publishes a latency alert to every alert subscriber (desk-wide) and keeps the last 100.</summary>
    public async Task<long> PublishAlertAsync(LatencyAlert alert)
    {
        var json = JsonSerializer.Serialize(alert, TradingJson.Options);
        var db = redis.GetDatabase();
        await db.ListLeftPushAsync(RecentAlertsKey, json);
        await db.ListTrimAsync(RecentAlertsKey, 0, RecentLimit - 1);
        return await db.PublishAsync(AlertChannel, json);
    }

    public async Task<IReadOnlyList<LatencyAlert>> RecentAlertsAsync()
    {
        var values = await redis.GetDatabase().ListRangeAsync(RecentAlertsKey, 0, RecentLimit - 1);
        return values.Select(v => JsonSerializer.Deserialize<LatencyAlert>(v.ToString(), TradingJson.Options)!).ToList();
    }

    /// <summary>Every alert from now on; the first item is null, once the subscription is live.</summary>
    public IAsyncEnumerable<LatencyAlert?> SubscribeAlertsAsync(CancellationToken cancellationToken) =>
        SubscribeAsync<LatencyAlert>(AlertChannel, cancellationToken);

    public async Task<IReadOnlyList<OrderNotification>> RecentAsync(string clientId)
    {
        var values = await redis.GetDatabase().ListRangeAsync(RecentKey(partitions.TagOf(clientId), clientId), 0, RecentLimit - 1);
        return values.Select(v => JsonSerializer.Deserialize<OrderNotification>(v.ToString(), TradingJson.Options)!).ToList();
    }

    /// <summary>
    /// Every outcome for <paramref name="clientId"/> from now until the caller stops listening. The first item is
    /// null and comes once Redis has confirmed the subscription. From then on no outcome can be missed, so that is
    /// when a client may be told it is subscribed.
    /// </summary>
    public IAsyncEnumerable<OrderNotification?> SubscribeAsync(string clientId, CancellationToken cancellationToken) =>
        SubscribeAsync<OrderNotification>(Channel(clientId), cancellationToken);

    private async IAsyncEnumerable<T?> SubscribeAsync<T>(RedisChannel channel, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class
    {
        var queue = System.Threading.Channels.Channel.CreateBounded<T>(new BoundedChannelOptions(1000)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
        });
        var subscriber = redis.GetSubscriber();
        Action<RedisChannel, RedisValue> handler = (_, value) =>
        {
            var notification = JsonSerializer.Deserialize<T>(value.ToString(), TradingJson.Options);
            if (notification is not null)
            {
                queue.Writer.TryWrite(notification);
            }
        };

        await subscriber.SubscribeAsync(channel, handler);
        try
        {
            yield return null; // subscribed: Redis delivers every message published from now on
            await foreach (var item in queue.Reader.ReadAllAsync(cancellationToken))
            {
                yield return item;
            }
        }
        finally
        {
            await subscriber.UnsubscribeAsync(channel, handler);
        }
    }
}
