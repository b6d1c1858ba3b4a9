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

    public async Task<IReadOnlyList<OrderNotification>> RecentAsync(string clientId)
    {
        var values = await redis.GetDatabase().ListRangeAsync(RecentKey(clientId), 0, RecentLimit - 1);
        return values.Select(v => JsonSerializer.Deserialize<OrderNotification>(v.ToString(), TradingJson.Options)!).ToList();
    }

    /// <summary>Every outcome for <paramref name="clientId"/> from now until the caller stops listening.</summary>
    public async IAsyncEnumerable<OrderNotification> SubscribeAsync(string clientId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var queue = System.Threading.Channels.Channel.CreateBounded<OrderNotification>(new BoundedChannelOptions(1000)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
        });
        var subscriber = redis.GetSubscriber();
        var channel = Channel(clientId);
        Action<RedisChannel, RedisValue> handler = (_, value) =>
        {
            var notification = JsonSerializer.Deserialize<OrderNotification>(value.ToString(), TradingJson.Options);
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
