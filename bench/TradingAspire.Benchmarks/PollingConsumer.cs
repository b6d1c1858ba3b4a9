using StackExchange.Redis;

namespace TradingAspire.Benchmarks;

/// <summary>
/// The design we did not choose, for comparison: a non-blocking XREADGROUP every 100 ms on the
/// shared connection (what StackExchange.Redis allows without a dedicated connection).
/// </summary>
internal sealed class PollingConsumer(IConnectionMultiplexer redis, string stream, TimeSpan interval, Action<StreamEntry> onEntry)
{
    public long Polls { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        await db.StreamCreateConsumerGroupAsync(stream, "g", "0", createStream: true);
        while (!cancellationToken.IsCancellationRequested)
        {
            Polls++;
            foreach (var entry in await db.StreamReadGroupAsync(stream, "g", "poller", ">", 100))
            {
                onEntry(entry);
                await db.StreamAcknowledgeAsync(stream, "g", entry.Id);
            }

            try
            {
                await Task.Delay(interval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
