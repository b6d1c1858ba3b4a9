using StackExchange.Redis;

namespace TradingAspire.Messaging;

/// <summary>Makes sure the consumer group exists (created from "0", so entries published before it are processed too).</summary>
internal sealed class ConsumerGroup(IConnectionMultiplexer redis, ConsumerIdentity identity, ConsumerLog log)
{
    public async Task EnsureExistsAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await redis.GetDatabase().StreamCreateConsumerGroupAsync(identity.Stream, identity.Group, "0", createStream: true);
                return;
            }
            catch (RedisServerException ex) when (ex.Message.Contains("BUSYGROUP", StringComparison.Ordinal))
            {
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested && ex is RedisException or TimeoutException or OperationCanceledException)
            {
                if (attempt == 1 || attempt % 20 == 0)
                {
                    log.ReadFailed(ex, identity.Stream, attempt);
                }

                await Pause.Quietly(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * attempt)), stoppingToken);
            }
        }
    }
}

/// <summary>Waiting that ends early, without throwing, when the service stops.</summary>
internal static class Pause
{
    public static async Task Quietly(TimeSpan delay, CancellationToken token)
    {
        try
        {
            await Task.Delay(delay, token);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
