using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using StackExchange.Redis;
using TradingAspire.Contracts;

namespace TradingAspire.Notification;

/// <summary>
/// Fans outcomes out to every notification replica through Redis pub/sub
/// (<c>notifications:&lt;clientId&gt;</c>), so a client connected to any replica gets every push,
/// and keeps the last 100 per client (<c>notifications:recent:&lt;clientId&gt;</c>).
/// </summary>
public sealed class NotificationChannel(IConnectionMultiplexer redis)
{
    public const int RecentLimit = 100;

    private static RedisChannel Channel(string clientId) => RedisChannel.Literal($"notifications:{clientId}");
    private static string RecentKey(string clientId) => $"notifications:recent:{clientId}";

    /// <summary>Publishes one outcome; returns how many replicas' subscribers received it.</summary>
    public async Task<long> PublishAsync(OrderNotification notification)
    {
        var json = JsonSerializer.Serialize(notification, TradingJson.Options);
        var db = redis.GetDatabase();
        var batch = db.CreateBatch();
        var push = batch.ListLeftPushAsync(RecentKey(notification.ClientId), json);
        var trim = batch.ListTrimAsync(RecentKey(notification.ClientId), 0, RecentLimit - 1);
        var expire = batch.KeyExpireAsync(RecentKey(notification.ClientId), TimeSpan.FromDays(1));
        var publish = batch.PublishAsync(Channel(notification.ClientId), json);
        batch.Execute();
        await Task.WhenAll(push, trim, expire);
        return await publish;
    }

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

    public IAsyncEnumerable<LatencyAlert> SubscribeAlertsAsync(CancellationToken cancellationToken) =>
        SubscribeAsync<LatencyAlert>(AlertChannel, cancellationToken);

    public async Task<IReadOnlyList<OrderNotification>> RecentAsync(string clientId)
    {
        var values = await redis.GetDatabase().ListRangeAsync(RecentKey(clientId), 0, RecentLimit - 1);
        return values.Select(v => JsonSerializer.Deserialize<OrderNotification>(v.ToString(), TradingJson.Options)!).ToList();
    }

    /// <summary>Every outcome for <paramref name="clientId"/> from now until the caller stops listening.</summary>
    public IAsyncEnumerable<OrderNotification> SubscribeAsync(string clientId, CancellationToken cancellationToken) =>
        SubscribeAsync<OrderNotification>(Channel(clientId), cancellationToken);

    private async IAsyncEnumerable<T> SubscribeAsync<T>(RedisChannel channel, [EnumeratorCancellation] CancellationToken cancellationToken)
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
