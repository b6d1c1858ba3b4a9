using StackExchange.Redis;
using TradingAspire.Contracts;

namespace TradingAspire.Risk;

/// <summary>
/// Moves positions of the layout before partitions (<c>risk:position:&lt;client&gt;</c>) to the client's partition
/// (<c>risk:position:{p}:&lt;client&gt;</c>) when risk starts, so an upgrade keeps every client's exposure and its
/// limits stay exact. One script per client merges the old hash into the new one (a symbol already in the new one
/// wins) and deletes the old; run again, it finds nothing to move. Only a single Redis can hold such keys.
/// </summary>
public sealed partial class LegacyPositions(IConnectionMultiplexer redis, StreamPartitions partitions, ILogger<LegacyPositions> logger) : IHostedService
{
    private const string Prefix = "risk:position:";

    // KEYS: old hash, new hash. Returns the number of symbols moved.
    private const string MoveScript = """
        local fields = redis.call('HGETALL', KEYS[1])
        for i = 1, #fields, 2 do
          redis.call('HSETNX', KEYS[2], fields[i], fields[i + 1])
        end
        redis.call('DEL', KEYS[1])
        return #fields / 2
        """;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Before any order is decided: wait (a while) for the connection the consumers will use.
            for (var waited = 0; !redis.IsConnected && waited < 300; waited++)
            {
                await Task.Delay(100, cancellationToken);
            }

            var moved = 0;
            foreach (var server in redis.GetServers().Where(s => s.IsConnected && !s.IsReplica && s.ServerType == ServerType.Standalone))
            {
                await foreach (var key in server.KeysAsync(pattern: Prefix + "*").WithCancellation(cancellationToken))
                {
                    var name = key.ToString();
                    if (name.Contains('{', StringComparison.Ordinal))
                    {
                        continue; // already in a partition
                    }

                    var client = name[Prefix.Length..];
                    await redis.GetDatabase().ScriptEvaluateAsync(MoveScript, [name, PositionBook.PositionKey(partitions, client)]);
                    moved++;
                }
            }

            if (moved > 0)
            {
                LogMoved(moved);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogFailed(ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Moved the positions of {Count} clients from the layout before partitions to their partitions")]
    private partial void LogMoved(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not look for positions of the layout before partitions; they are moved at the next start")]
    private partial void LogFailed(Exception ex);
}
